package dev.remediator.testing;

import dev.remediator.action.Action;
import dev.remediator.action.ActionModule;
import dev.remediator.action.SharedClients;
import dev.remediator.target.Target;
import dev.remediator.action.ActionRequest;
import dev.remediator.action.ActionResult;
import dev.remediator.rules.ActionSpec;
import dev.remediator.target.TargetKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * An action that records every request and answers with scripted results (Succeeded when the
 * script runs out). {@link #block()} makes it wait until released, to test shutdown.
 */
public final class RecordingAction implements Action {
  private final String name;
  private final List<ActionRequest> requests = new CopyOnWriteArrayList<>();
  private final Deque<ActionResult> script = new ArrayDeque<>();
  private volatile CountDownLatch gate;

  public RecordingAction(String name) {
    this.name = name;
  }

  public synchronized RecordingAction thenAnswer(ActionResult result) {
    script.add(result);
    return this;
  }

  /** Makes every following execute wait until {@link #release()} or interruption. */
  public RecordingAction block() {
    gate = new CountDownLatch(1);
    return this;
  }

  public void release() {
    gate.countDown();
  }

  /** A module that serves this very action on every target of {@code kind}. */
  public ActionModule module(TargetKind kind) {
    RecordingAction self = this;
    ActionSpec spec = spec();
    return new ActionModule() {
      @Override
      public ActionSpec spec() {
        return spec;
      }

      @Override
      public TargetKind targetKind() {
        return kind;
      }

      @Override
      public Action open(Target target, SharedClients shared) {
        return self;
      }
    };
  }

  public List<ActionRequest> requests() {
    return requests;
  }

  @Override
  public ActionSpec spec() {
    return new ActionSpec() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Set<TargetKind> targetKinds() {
        return Set.of(TargetKind.COMMAND, TargetKind.WEBHOOK);
      }

      @Override
      public List<ParamProblem> validate(Map<String, Object> with) {
        return List.of();
      }

      @Override
      public boolean strictTemplates() {
        return true;
      }
    };
  }

  @Override
  public ActionResult execute(ActionRequest request) throws InterruptedException {
    requests.add(request);
    CountDownLatch waitFor = gate;
    if (waitFor != null) {
      waitFor.await();
    }
    synchronized (this) {
      return script.isEmpty() ? new ActionResult.Succeeded("done") : script.poll();
    }
  }
}
