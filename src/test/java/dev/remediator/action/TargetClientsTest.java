package dev.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.alert.Alert;
import dev.remediator.alert.AlertStatus;
import dev.remediator.alert.Labels;
import dev.remediator.rules.ActionSpec;
import dev.remediator.rules.RuleSet;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class TargetClientsTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final AtomicReference<RuleSet> rules = new AtomicReference<>(rules("hooks-v1"));
  private volatile CountDownLatch running;
  private volatile CountDownLatch release;

  private static RuleSet rules(String source) {
    return new RuleSet(source, false, Optional.empty(),
        Map.of("hooks", new Target("hooks", TargetKind.WEBHOOK, Map.of("url", "http://" + source)),
            "deployer", new Target("deployer", TargetKind.COMMAND, Map.of())),
        List.of(), Optional.empty());
  }

  private static final ActionSpec SPEC = new ActionSpec() {
    @Override
    public String name() {
      return "notify";
    }

    @Override
    public Set<TargetKind> targetKinds() {
      return Set.of(TargetKind.WEBHOOK);
    }

    @Override
    public List<ParamProblem> validate(Map<String, Object> with) {
      return List.of();
    }

    @Override
    public boolean strictTemplates() {
      return false;
    }
  };

  /** An action per target that records its target's URL and when its clients close. */
  private final class Clients implements Action, AutoCloseable {
    private final String url;

    Clients(Target target) {
      this.url = target.setting("url");
      events.add("open " + url);
    }

    @Override
    public ActionSpec spec() {
      return SPEC;
    }

    @Override
    public ActionResult execute(ActionRequest request) throws InterruptedException {
      events.add("run on " + url);
      if (running != null) {
        running.countDown();
        release.await();
      }
      return new ActionResult.Succeeded(url);
    }

    @Override
    public void close() {
      events.add("close " + url);
    }
  }

  private final ActionModule module = new ActionModule() {
    @Override
    public ActionSpec spec() {
      return SPEC;
    }

    @Override
    public TargetKind targetKind() {
      return TargetKind.WEBHOOK;
    }

    @Override
    public Action open(Target target, SharedClients shared) {
      return new Clients(target);
    }
  };

  private final TargetClients clients = new TargetClients(List.of(module),
      new SharedClients(new OkHttpClient(), new ObjectMapper(), Map.of()), rules::get);

  private ActionResult run(String action, String target) throws InterruptedException {
    Alert alert = new Alert(AlertStatus.FIRING, Labels.of("alertname", "A"), Labels.EMPTY,
        Instant.parse("2026-11-22T10:00:00Z"), Optional.empty(), "", "fp");
    return clients.execute(action, target, found -> new ActionRequest(1, "r", found, Map.of(), alert));
  }

  @Test
  void buildsOneActionPerTargetOfItsKindOnceAndReusesIt() throws Exception {
    assertThat(run("notify", "hooks")).isEqualTo(new ActionResult.Succeeded("http://hooks-v1"));
    assertThat(run("notify", "hooks")).isEqualTo(new ActionResult.Succeeded("http://hooks-v1"));

    assertThat(events).containsExactly("open http://hooks-v1", "run on http://hooks-v1", "run on http://hooks-v1");
  }

  @Test
  void unknownTargetsAndActionsArePermanentFailures() throws Exception {
    assertThat(run("notify", "gone")).isEqualTo(
        new ActionResult.Permanent("target gone is no longer defined in hooks-v1", null));
    assertThat(run("notify", "deployer")).isEqualTo(
        new ActionResult.Permanent("action notify is not available for target deployer (kind command)", null));
  }

  @Test
  void aReloadSwapsTheClientsAndClosesTheOldOnesWhenTheirLastActionEnds() throws Exception {
    running = new CountDownLatch(1);
    release = new CountDownLatch(1);
    Thread inFlight = new Thread(() -> {
      try {
        run("notify", "hooks");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    inFlight.start();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    rules.set(rules("hooks-v2"));
    running = null;
    assertThat(run("notify", "hooks")).isEqualTo(new ActionResult.Succeeded("http://hooks-v2"));
    assertThat(events).doesNotContain("close http://hooks-v1");

    release.countDown();
    inFlight.join(10_000);
    assertThat(events).containsExactly("open http://hooks-v1", "run on http://hooks-v1", "open http://hooks-v2",
        "run on http://hooks-v2", "close http://hooks-v1");

    clients.close();
    assertThat(events).endsWith("close http://hooks-v2");
  }
}
