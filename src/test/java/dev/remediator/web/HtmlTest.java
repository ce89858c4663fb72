package dev.remediator.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesEveryCharacterThatCouldOpenATagOrLeaveAnAttribute() {
    assertThat(Html.escape("\"><img src=x onerror=alert(1)>"))
        .isEqualTo("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    assertThat(Html.escape("<script>alert('x')</script>")).isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assertThat(Html.escape("a & b")).isEqualTo("a &amp; b");
  }

  @Test
  void escapingIsNotUndoneByAlreadyEscapedInput() {
    assertThat(Html.escape("&lt;b&gt;")).isEqualTo("&amp;lt;b&amp;gt;");
  }

  @Test
  void leavesPlainTextAndUnicodeAloneAndTurnsNullIntoNothing() {
    assertThat(Html.escape("HighErrorRate · prod/api-7f9")).isEqualTo("HighErrorRate · prod/api-7f9");
    assertThat(Html.escape(null)).isEmpty();
  }
}
