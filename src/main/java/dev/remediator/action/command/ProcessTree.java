package dev.remediator.action.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A process and the descendants it had when captured. Capturing first matters: once the parent
 * dies its children are re-parented and can no longer be found from it.
 */
final class ProcessTree {
  private final List<ProcessHandle> members;

  private ProcessTree(List<ProcessHandle> members) {
    this.members = members;
  }

  static ProcessTree of(Process process) {
    List<ProcessHandle> members = new ArrayList<>();
    members.add(process.toHandle());
    process.descendants().forEach(members::add);
    return new ProcessTree(List.copyOf(members));
  }

  int size() {
    return members.size();
  }

  /**
   * Asks every member to terminate, waits up to {@code grace} for them to exit, then kills the
   * rest forcibly. When interrupted while waiting it kills forcibly at once and rethrows.
   */
  void destroy(Duration grace) throws InterruptedException {
    members.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      for (ProcessHandle member : members) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        member.onExit().get(left, TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException | ExecutionException e) {
      // Whatever is still alive is killed forcibly below.
    } catch (InterruptedException e) {
      destroyForcibly();
      throw e;
    }
    destroyForcibly();
  }

  void destroyForcibly() {
    for (ProcessHandle member : members) {
      if (member.isAlive()) {
        member.destroyForcibly();
      }
    }
  }
}
