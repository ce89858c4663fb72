package dev.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.ActionSpec.ParamProblem;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionModulesTest {
  /** A restart spec that needs one parameter, named per kind. */
  private record RestartSpec(TargetKind kind, String required, boolean strict) implements ActionSpec {
    @Override
    public String name() {
      return "restart";
    }

    @Override
    public Set<TargetKind> targetKinds() {
      return Set.of(kind);
    }

    @Override
    public List<ParamProblem> validate(Map<String, Object> with) {
      return with.containsKey(required) ? List.of() : List.of(new ParamProblem(required, "is required"));
    }

    @Override
    public boolean strictTemplates() {
      return strict;
    }
  }

  private record Module(ActionSpec spec, TargetKind targetKind) implements ActionModule {
    @Override
    public Action open(Target target, SharedClients shared) {
      throw new UnsupportedOperationException("not opened here");
    }
  }

  private final ActionSpec kubernetes = new RestartSpec(TargetKind.KUBERNETES, "deployment", true);
  private final ActionSpec railway = new RestartSpec(TargetKind.RAILWAY, "service", false);
  private final ActionSpec restart = ActionModules.specs(List.of(new Module(kubernetes, TargetKind.KUBERNETES),
      new Module(railway, TargetKind.RAILWAY))).get("restart");

  @Test
  void anActionWithASpecPerKindListsEveryKind() {
    assertThat(restart.name()).isEqualTo("restart");
    assertThat(restart.targetKinds()).containsExactlyInAnyOrder(TargetKind.KUBERNETES, TargetKind.RAILWAY);
  }

  @Test
  void withIsCheckedByTheSpecOfTheTargetsKind() {
    Map<String, Object> with = Map.of("service", "api");

    assertThat(restart.validate(TargetKind.RAILWAY, with)).isEmpty();
    assertThat(restart.validate(TargetKind.KUBERNETES, with)).containsExactly(new ParamProblem("deployment", "is required"));
  }

  @Test
  void templatesAreStrictWhenAnyKindIsStrict() {
    assertThat(restart.strictTemplates()).isTrue();
  }

  @Test
  void oneSpecSharedByItsModulesIsKeptAsItIs() {
    assertThat(ActionModules.specs(List.of(new Module(kubernetes, TargetKind.KUBERNETES))).get("restart"))
        .isSameAs(kubernetes);
  }
}
