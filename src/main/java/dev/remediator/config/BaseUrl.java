package dev.remediator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one check for a URL that an environment variable gives as the base of a service
 * (Alertmanager, Prometheus, this server's own external address): absolute http or https with a
 * host, no query or fragment, and without a trailing slash. Credentials in it are refused unless
 * the service takes them that way; an error message never repeats a password.
 */
public final class BaseUrl {
  private BaseUrl() {}

  /**
   * {@code text} checked as the base URL that {@code variable} names, e.g. {@code REMEDIATOR_ALERTMANAGER_URL},
   * with {@code example} in the message when it is wrong; {@code credentials}: whether {@code user:password@} may appear.
   */
  public static URI parse(String variable, String text, String example, boolean credentials) {
    URI url;
    try {
      url = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(variable + " is not a URL: " + Redaction.url(e.getMessage()), e);
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    boolean badCredentials = url.getRawUserInfo() != null && !credentials;
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null || url.getRawQuery() != null
        || url.getRawFragment() != null || badCredentials) {
      throw new IllegalArgumentException(variable + " must be an http or https URL with a host, like " + example
          + (credentials ? ", without query or fragment" : ", without credentials, query or fragment")
          + ", but was \"" + Redaction.url(text.strip()) + "\"");
    }
    String written = url.toString();
    return written.endsWith("/") ? URI.create(written.substring(0, written.length() - 1)) : url;
  }
}
