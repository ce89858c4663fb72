package dev.remediator.http;

import io.javalin.http.Context;

/**
 * The web page's handlers, as the route table sees them: the page (or the sign-in form), signing
 * in and out, and its script and style sheet.
 */
public interface Page {
  void show(Context ctx);

  void signIn(Context ctx);

  void signOut(Context ctx);

  void asset(Context ctx);
}
