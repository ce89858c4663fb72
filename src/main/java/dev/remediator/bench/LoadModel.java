package dev.remediator.bench;

/**
 * How the bench offers load. {@link Open}: a fixed schedule of {@code rate} notifications per
 * second, whatever the server does, with latency measured from each send's scheduled time (the
 * way Alertmanager, which does not wait for one answer before the next alert, loads a server).
 * {@link Closed}: {@code connections} senders, each sending again as soon as it has its answer,
 * which finds the most the server can take.
 */
public sealed interface LoadModel {
  /** At most this many sends of the open model are in flight at once; further sends wait for one. */
  int MAX_IN_FLIGHT = 256;

  /** How many connections the load may hold open at once. */
  int maxConnections();

  /** The model as a phrase for the report, e.g. "open model, 200 notifications/s". */
  String describe();

  /** A fixed send schedule of {@code rate} notifications per second. */
  record Open(double rate) implements LoadModel {
    public Open {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("--rate must be a positive number of notifications per second, but was "
            + rate);
      }
    }

    @Override
    public int maxConnections() {
      return MAX_IN_FLIGHT;
    }

    @Override
    public String describe() {
      return "open model, " + Numbers.plain(rate) + " notifications/s scheduled, at most " + MAX_IN_FLIGHT
          + " in flight";
    }
  }

  /** {@code connections} senders in a closed loop. */
  record Closed(int connections) implements LoadModel {
    public static final int MAX_CONNECTIONS = 1024;

    public Closed {
      if (connections < 1 || connections > MAX_CONNECTIONS) {
        throw new IllegalArgumentException("--connections must be between 1 and " + MAX_CONNECTIONS + ", but was "
            + connections);
      }
    }

    @Override
    public int maxConnections() {
      return connections;
    }

    @Override
    public String describe() {
      return "closed model, " + connections + " connections";
    }
  }
}
