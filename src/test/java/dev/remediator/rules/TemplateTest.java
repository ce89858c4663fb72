package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.remediator.rules.Template.Ref;
import dev.remediator.rules.Template.Source;
import org.junit.jupiter.api.Test;

class TemplateTest {
  @Test
  void parsesReferencesWithOrWithoutSpacesInsideBraces() {
    Template template = Template.parse("deployment/{{labels.service}} in {{  annotations.zone  }} at {{ startsAt }}");

    assertThat(template.references()).containsExactly(
        new Ref(Source.LABELS, "service"), new Ref(Source.ANNOTATIONS, "zone"), new Ref(Source.FIELD, "startsAt"));
    assertThat(template.render(ref -> "<" + ref + ">"))
        .isEqualTo("deployment/<labels.service> in <annotations.zone> at <startsAt>");
  }

  @Test
  void textWithoutReferencesIsLiteralAndSingleBracesAreText() {
    Template template = Template.parse("{\"json\": true}");

    assertThat(template.isLiteral()).isTrue();
    assertThat(template.render(ref -> "unused")).isEqualTo("{\"json\": true}");
  }

  @Test
  void unknownReferenceIsRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{ labels }}"))
        .withMessage("unknown template reference \"labels\" (use labels.NAME, annotations.NAME, fingerprint, status,"
            + " startsAt, endsAt or generatorURL)");
    assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{ labels.my-label }}"))
        .withMessageStartingWith("unknown template reference \"labels.my-label\"");
    assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{}}"))
        .withMessageStartingWith("unknown template reference \"\"");
  }

  @Test
  void unbalancedBracesAreRejected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("a {{ labels.x"))
        .withMessage("unclosed \"{{\" in \"a {{ labels.x\"");
    assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("{{ labels.x {{ labels.y }}"))
        .withMessage("unclosed \"{{\" in \"{{ labels.x {{ labels.y }}\"");
    assertThatIllegalArgumentException().isThrownBy(() -> Template.parse("labels.x }}"))
        .withMessage("\"}}\" without a matching \"{{\" in \"labels.x }}\"");
  }
}
