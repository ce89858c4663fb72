package dev.remediator.web;

import dev.remediator.http.Role;
import dev.remediator.http.Session;
import java.util.List;
import java.util.Map;

/**
 * The HTML of the page and of its sign-in form. The server writes the frame (who is signed in,
 * the filters from the address, the operator controls only for operators); {@code app.js} fills
 * in the data with DOM text nodes. Every value passes through {@link Html#escape}.
 */
final class PageHtml {
  /** The filters of {@code GET /api/v1/audit} the page offers, in the order shown. */
  static final List<String> FILTERS = List.of("alertname", "rule", "action", "target", "outcome", "kind", "actor",
      "since", "until", "q");

  private PageHtml() {}

  static String signIn(String problem) {
    return head("sign in", "") + """
        <body class="sign-in">
        <main>
        <h1>remediator</h1>
        <p>Sign in with the viewer or operator token.</p>
        """ + (problem == null ? "" : "<p class=\"problem\" role=\"alert\">" + Html.escape(problem) + "</p>\n") + """
        <form method="post" action="/sign-in">
        <label for="token">Token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
        <button type="submit">Sign in</button>
        </form>
        <p class="note">Sessions last 8 hours and live in the server's memory: a restart signs everyone out.</p>
        </main>
        </body>
        </html>
        """;
  }

  static String page(Session session, Map<String, String> filters) {
    boolean operator = session.role() == Role.OPERATOR;
    String csrf = Html.escape(session.csrfToken());
    StringBuilder html = new StringBuilder(head("audit", "<meta name=\"csrf-token\" content=\"" + csrf + "\">\n"));
    html.append("<body data-role=\"").append(operator ? "operator" : "viewer").append("\">\n")
        .append("<header>\n<h1>remediator</h1>\n")
        .append("<span id=\"whoami\">signed in as ").append(operator ? "operator" : "viewer").append("</span>\n")
        .append("<form method=\"post\" action=\"/sign-out\" class=\"sign-out\">")
        .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(csrf).append("\">")
        .append("<button type=\"submit\" id=\"sign-out\">Sign out</button></form>\n</header>\n")
        .append("<div id=\"pause-banner\" class=\"banner\" role=\"status\" hidden></div>\n")
        .append("<main>\n");
    if (operator) {
      html.append("""
          <section id="pause-controls">
          <h2>Kill switch</h2>
          <form id="pause-form">
          <label>Reason <input id="pause-reason" name="reason" required maxlength="500"></label>
          <label>For <input id="pause-for" name="for" placeholder="1h (empty: until resumed)" maxlength="20"></label>
          <button type="submit" id="pause-button">Pause</button>
          <button type="button" id="resume-button">Resume</button>
          </form>
          <p id="pause-problem" class="problem" role="alert"></p>
          </section>
          """);
    }
    html.append("""
        <section id="counts">
        <h2>Last 24 hours by outcome</h2>
        <ul id="counts-list" class="counts"></ul>
        </section>
        <section id="approvals">
        <h2>Pending approvals</h2>
        <div id="approvals-list"></div>
        </section>
        <section id="breakers">
        <h2>Breakers</h2>
        <div id="breakers-list"></div>
        </section>
        <section id="timeline" hidden>
        <h2>Timeline of remediation <span id="timeline-id"></span></h2>
        <button type="button" id="timeline-close">Close</button>
        <div id="timeline-summary"></div>
        <ol id="timeline-list"></ol>
        </section>
        <section id="events">
        <h2>Audit events, newest first</h2>
        <form id="filters" method="get" action="/">
        """);
    for (String name : FILTERS) {
      html.append("<label>").append(name).append(" <input name=\"").append(name).append("\" id=\"filter-")
          .append(name).append("\" value=\"").append(Html.escape(filters.get(name))).append('"')
          .append(name.equals("since") || name.equals("until") ? " placeholder=\"2026-11-24T08:00:00Z\"" : "")
          .append("></label>\n");
    }
    html.append("""
        <button type="submit" id="filter-button">Filter</button>
        <label class="refresh"><input type="checkbox" id="auto-refresh" checked> refresh every 10 s</label>
        </form>
        <p id="events-status" role="status"></p>
        <div class="scroll"><table id="events-table">
        <thead><tr><th>at</th><th>kind</th><th>alert</th><th>rule</th><th>action</th><th>target</th>
        <th>outcome</th><th>actor</th><th>detail</th></tr></thead>
        <tbody id="events-body"></tbody>
        </table></div>
        <button type="button" id="events-more" hidden>Older events</button>
        </section>
        </main>
        </body>
        </html>
        """);
    return html.toString();
  }

  /** The document's head; {@code meta} is extra markup already escaped by the caller. */
  private static String head(String title, String meta) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        %s<title>remediator · %s</title>
        <link rel="stylesheet" href="/static/app.css">
        <script src="/static/app.js" defer></script>
        </head>
        """.formatted(meta, Html.escape(title));
  }
}
