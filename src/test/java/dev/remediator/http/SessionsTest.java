package dev.remediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.remediator.testing.MutableClock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final MutableClock clock = MutableClock.at("2026-11-24T08:00:00Z");
  private final Sessions sessions = new Sessions(clock);

  @Test
  void aSessionLastsEightHoursFromSignInAndNotASecondLonger() {
    Session session = sessions.open(Role.VIEWER);
    clock.advance(Duration.ofHours(8).minusSeconds(1));
    assertThat(sessions.find(session.id())).contains(session);
    clock.advance(Duration.ofSeconds(1));
    assertThat(sessions.find(session.id())).isEmpty();
    clock.set(clock.instant().minus(Duration.ofHours(1)));
    assertThat(sessions.find(session.id())).as("an expired session is forgotten, not revived").isEmpty();
  }

  @Test
  void signingOutEndsTheSessionAtOnce() {
    Session session = sessions.open(Role.OPERATOR);
    sessions.close(session.id());
    assertThat(sessions.find(session.id())).isEmpty();
  }

  @Test
  void idsAndCsrfTokensAreDistinct256BitRandomValues() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Session session = sessions.open(Role.VIEWER);
      assertThat(session.id()).matches("[A-Za-z0-9_-]{43}");
      assertThat(session.csrfToken()).matches("[A-Za-z0-9_-]{43}");
      assertThat(seen.add(session.id())).isTrue();
      assertThat(seen.add(session.csrfToken())).isTrue();
    }
  }

  @Test
  void unknownOrMissingIdsFindNothing() {
    sessions.open(Role.VIEWER);
    assertThat(sessions.find("not-a-session")).isEmpty();
    assertThat(sessions.find("")).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
  }

  @Test
  void anOperatorSessionAlsoGrantsViewerAndAViewerSessionOnlyViewer() {
    assertThat(sessions.open(Role.OPERATOR).granted()).containsExactlyInAnyOrder(Role.OPERATOR, Role.VIEWER);
    assertThat(sessions.open(Role.VIEWER).granted()).containsExactly(Role.VIEWER);
    assertThatThrownBy(() -> sessions.open(Role.WEBHOOK))
        .hasMessage("a session is for a viewer or an operator, not WEBHOOK");
  }

  @Test
  void theCsrfTokenMustMatchExactly() {
    Session session = sessions.open(Role.OPERATOR);
    assertThat(Sessions.csrfMatches(session, session.csrfToken())).isTrue();
    assertThat(Sessions.csrfMatches(session, session.csrfToken() + "x")).isFalse();
    assertThat(Sessions.csrfMatches(session, "")).isFalse();
    assertThat(Sessions.csrfMatches(session, null)).isFalse();
  }

  @Test
  void theCookieIsHttpOnlyStrictScopedToTheSiteAndSecureOverTls() {
    Session session = sessions.open(Role.VIEWER);
    assertThat(Sessions.cookie(session, false)).isEqualTo(
        "remediator_session=" + session.id() + "; Path=/; Max-Age=28800; HttpOnly; SameSite=Strict");
    assertThat(Sessions.cookie(session, true)).endsWith("; HttpOnly; SameSite=Strict; Secure");
    assertThat(Sessions.clearingCookie(false))
        .isEqualTo("remediator_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  }
}
