package dev.remediator.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started resources of a running server on one stack: each {@link #start} runs a start step
 * and, once it succeeded, pushes the matching stop step. {@link #close} runs the stop steps in
 * reverse order, so what started last stops first, both on a normal stop and when a later start
 * step fails. A failing stop step is logged and the remaining ones still run.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  private final Deque<Step> started = new ArrayDeque<>();
  private boolean closed;

  /** Runs {@code start}; when it returns, {@code stop} is pushed to run on {@link #close}. */
  public synchronized void start(String name, Action start, Action stop) throws Exception {
    if (closed) {
      throw new IllegalStateException("cannot start " + name + ": the lifecycle is already closed");
    }
    start.run();
    started.push(new Step(name, stop));
  }

  /** Pushes a stop step for something already running (built and started in one go). */
  public synchronized void started(String name, Action stop) {
    if (closed) {
      throw new IllegalStateException("cannot register " + name + ": the lifecycle is already closed");
    }
    started.push(new Step(name, stop));
  }

  /** Names of the running resources, the one to stop first at the head. */
  public synchronized java.util.List<String> running() {
    return started.stream().map(Step::name).toList();
  }

  /** Stops everything started, newest first; safe to call more than once. */
  @Override
  public synchronized void close() {
    closed = true;
    while (!started.isEmpty()) {
      Step step = started.pop();
      try {
        step.stop().run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        log.warn("stopping {} was interrupted; stopping the rest", step.name());
      } catch (Exception | LinkageError e) {
        log.warn("stopping {} failed: {}", step.name(), e.toString());
      }
    }
  }

  /** A start or stop step. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private record Step(String name, Action stop) {}
}
