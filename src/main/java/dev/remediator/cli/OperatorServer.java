package dev.remediator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.config.ReadFailure;
import dev.remediator.config.Secrets;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import picocli.CommandLine.Option;

/**
 * The flags that name a running server and the operator credential to use on it, shared by the
 * commands that change a server ({@code pause}, {@code resume}, {@code replay}), and the one call
 * they make.
 * Every way the call can fail becomes a {@link Refused} whose message says what to do.
 */
final class OperatorServer {
  static final String TOKEN_VARIABLE = "REMEDIATOR_OPERATOR_TOKEN";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(names = "--url", defaultValue = "http://127.0.0.1:9095",
      description = "the running server (default ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--token", description = "operator token (default: REMEDIATOR_OPERATOR_TOKEN, "
      + "or the file named by REMEDIATOR_OPERATOR_TOKEN_FILE)")
  String token;

  @Option(names = "--token-file", description = "file holding the operator token instead")
  Path tokenFile;

  /** Why a call did not do what was asked: the server refused it, or could not be reached. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /** Sends {@code method path} with a JSON {@code body} (null for none); returns the JSON answer of a 2xx. */
  JsonNode call(String method, String path, Object body, Map<String, String> env) throws Refused {
    return send(method, path, body == null ? null : RequestBody.create(json(body), JSON), env);
  }

  /** POSTs {@code body}, bytes already in JSON, to {@code path}; returns the JSON answer of a 2xx. */
  JsonNode post(String path, byte[] body, Map<String, String> env) throws Refused {
    return send("POST", path, RequestBody.create(body, JSON), env);
  }

  private JsonNode send(String method, String path, RequestBody body, Map<String, String> env) throws Refused {
    HttpUrl base = HttpUrl.parse(url);
    if (base == null) {
      throw new IllegalArgumentException("--url must be an http:// or https:// URL, but was \"" + url + "\"");
    }
    HttpUrl target = base.resolve(path);
    Request.Builder request = new Request.Builder().url(target).method(method, body);
    String credential = token(env);
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(15)).build();
    try (Response response = http.newCall(request.build()).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      if (response.isSuccessful()) {
        return MAPPER.readTree(text);
      }
      throw new Refused(refusal(response.code(), target, text));
    } catch (ConnectException e) {
      throw new Refused("cannot connect to " + base + ": connection refused (is remediator serving there? "
          + "give its address with --url)");
    } catch (IOException e) {
      throw new Refused("cannot reach " + base + ": " + e.getMessage());
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  private static String refusal(int status, HttpUrl target, String text) {
    String said = said(text);
    if (status == 401) {
      return "the server refused the credential (401: " + said + "); give the operator token with --token, "
          + "--token-file or " + TOKEN_VARIABLE;
    }
    if (status == 403) {
      return "the credential lacks the operator role (403: " + said + "); give the operator token, not the webhook "
          + "token";
    }
    return target.encodedPath() + " answered " + status + ": " + said;
  }

  /** The server's ApiError as "field: reason", or the start of whatever it sent. */
  private static String said(String text) {
    try {
      JsonNode error = MAPPER.readTree(text);
      String field = error.path("field").asText("");
      String reason = error.path("reason").asText("");
      if (!reason.isEmpty()) {
        return field.isEmpty() ? reason : field + ": " + reason;
      }
    } catch (IOException e) {
      // not an ApiError: fall through to the raw text
    }
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  private String token(Map<String, String> env) {
    if (token != null && tokenFile != null) {
      throw new IllegalArgumentException("give --token or --token-file, not both");
    }
    if (token != null) {
      return token.isEmpty() ? null : token;
    }
    if (tokenFile != null) {
      try {
        String contents = Files.readString(tokenFile).strip();
        if (contents.isEmpty()) {
          throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
        }
        return contents;
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + ReadFailure.describe(e), e);
      }
    }
    return Secrets.read(env, TOKEN_VARIABLE).orElse(null);
  }

  private static String json(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the request body as JSON", e);
    }
  }
}
