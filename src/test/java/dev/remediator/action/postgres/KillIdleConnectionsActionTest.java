package dev.remediator.action.postgres;

import static dev.remediator.action.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.Action;
import dev.remediator.action.ActionResult;
import dev.remediator.action.SharedClients;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import dev.remediator.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;

/**
 * kill_idle_connections against the real PostgreSQL on 127.0.0.1. The connections the test holds
 * are opened once, before every test, and left idle until the server says they have been idle
 * for longer than {@link #IDLE_FOR}; each test's own application name (with a per-run tag), role
 * or fresh database keeps every run of the action to the test's own connections, since other
 * builds share the server. "Young" connections run a statement just before the action, so they
 * are seconds short of {@link #IDLE_FOR} however slow the machine.
 */
class KillIdleConnectionsActionTest {
  @RegisterExtension
  static final TestDatabase db = new TestDatabase();
  @RegisterExtension
  static final TestDatabase otherDb = new TestDatabase();

  private static final String RUN = randomTag();
  private static final String IDLE_FOR = "5s";
  private static final Duration OLD = Duration.ofSeconds(6);
  private static final String FILTERED_USER = "kic_" + RUN + "_worker";
  private static final String VICTIM = "kic_" + RUN + "_victim";
  private static final String NO_SIGNAL = "kic_" + RUN + "_nosignal";
  private static final String NO_STATS = "kic_" + RUN + "_nostats";
  private static final List<String> ROLES = List.of(FILTERED_USER, VICTIM, NO_SIGNAL, NO_STATS);

  private static final List<Held> held = new ArrayList<>();
  private static final Map<String, List<Held>> groups = new HashMap<>();
  private static final ExecutorService busy = Executors.newSingleThreadExecutor();
  private static Statement busyStatement;

  @TempDir
  Path dir;

  private KillIdleConnectionsAction action;
  private Target actionTarget;

  /** A connection the test holds open, with the pid of its backend. */
  private record Held(Connection connection, int pid) {}

  @BeforeAll
  static void openOldConnections() throws Exception {
    try (Connection admin = TestDatabase.admin(); Statement statement = admin.createStatement()) {
      for (String role : ROLES) {
        statement.execute("CREATE ROLE " + role + " LOGIN");
      }
      statement.execute("GRANT pg_read_all_stats TO " + NO_SIGNAL);
    }
    old("app", db, "postgres", 3);
    old("app-other", db, "postgres", 1);
    old("database", db, "postgres", 1);
    old("database", otherDb, "postgres", 1);
    old("user", db, FILTERED_USER, 1);
    old("user", db, "postgres", 1);
    old("max", db, "postgres", 4);
    old("transaction", db, "postgres", 1).get(0).connection().setAutoCommit(false);
    try (Statement begin = group("transaction").get(0).connection().createStatement()) {
      begin.execute("SELECT 1");
    }
    Held active = old("active", db, "postgres", 1).get(0);
    busyStatement = active.connection().createStatement();
    busy.submit(() -> busyStatement.execute("SELECT pg_sleep(600)"));
    await().atMost(Duration.ofSeconds(30)).until(() -> isActive(active.pid()));
    old("permission", db, VICTIM, 1);
    old("hidden", db, VICTIM, 1);
    old("hostile", db, "postgres", 1);
    old("deadline", db, "postgres", 2);

    List<Integer> pids = held.stream().map(Held::pid).toList();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> countIdleLongerThan(pids, OLD) == pids.size());
  }

  @AfterAll
  static void closeAndDropRoles() throws Exception {
    if (busyStatement != null) {
      busyStatement.cancel();
    }
    busy.shutdownNow();
    for (Held connection : held) {
      connection.connection().close();
    }
    try (Connection admin = TestDatabase.admin(); Statement statement = admin.createStatement()) {
      for (String role : ROLES) {
        statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
        statement.execute("DROP ROLE IF EXISTS " + role);
      }
    }
  }

  @AfterEach
  void closeAction() {
    if (action != null) {
      action.close();
      action = null;
      actionTarget = null;
    }
  }

  @Test
  void terminatesOnlyTheOldIdleConnectionsOfTheGivenApplication() throws Exception {
    Held young = open(app("app"), db, "postgres");
    touch(young);

    ActionResult result = run(target(db, "postgres"), "idle_for", IDLE_FOR, "application_name", app("app"));

    List<Integer> old = pids(group("app"));
    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(result.facts()).containsExactly(
        Map.entry("found", 3),
        Map.entry("terminated", 3),
        Map.entry("pids", old),
        Map.entry("users", List.of("postgres", "postgres", "postgres")),
        Map.entry("applications", List.of(app("app"), app("app"), app("app"))));
    assertThat(result.message()).isEqualTo("terminated 3 of 3 client backends idle for more than 5s with"
        + " application_name " + app("app") + " (pids " + old.get(0) + ", " + old.get(1) + ", " + old.get(2) + ")");
    awaitGone(group("app"));
    assertAlive(young);
    assertAlive(group("app-other"));
  }

  @Test
  void databaseFilterSparesTheSameApplicationInOtherDatabases() throws Exception {
    ActionResult result = run(target(db, "postgres"), "idle_for", IDLE_FOR, "database", otherDb.name());

    Held inOther = group("database").get(1);
    assertThat(result.facts()).containsEntry("found", 1).containsEntry("pids", List.of(inOther.pid()));
    awaitGone(List.of(inOther));
    assertAlive(group("database").get(0));
  }

  @Test
  void hostileFilterValuesAreBoundNotSpliced() throws Exception {
    ActionResult result = run(target(db, "postgres"), "idle_for", IDLE_FOR, "database", db.name(),
        "application_name", app("hostile") + "' OR '1'='1", "user", "postgres'; SELECT pg_terminate_backend(pid) --");

    assertThat(result.facts()).containsEntry("found", 0).containsEntry("terminated", 0);
    assertAlive(group("hostile"));
  }

  @Test
  void userFilterSparesOtherRoles() throws Exception {
    ActionResult result = run(target(db, "postgres"), "idle_for", IDLE_FOR, "user", FILTERED_USER);

    Held ofUser = group("user").get(0);
    assertThat(result.facts()).containsEntry("found", 1).containsEntry("pids", List.of(ofUser.pid()))
        .containsEntry("users", List.of(FILTERED_USER));
    assertThat(result.message()).isEqualTo("terminated 1 of 1 client backend idle for more than 5s of user "
        + FILTERED_USER + " (pid " + ofUser.pid() + ")");
    awaitGone(List.of(ofUser));
    assertAlive(group("user").get(1));
  }

  @Test
  void maxTerminatesTheLongestIdleFirstAndSaysWhereItStopped() throws Exception {
    ActionResult result = run(target(db, "postgres"), "idle_for", IDLE_FOR, "application_name", app("max"), "max", 2);

    List<Held> max = group("max");
    assertThat(result.facts()).containsEntry("found", 4).containsEntry("terminated", 2)
        .containsEntry("pids", List.of(max.get(0).pid(), max.get(1).pid()));
    assertThat(result.message()).endsWith("; stopped at max 2");
    awaitGone(max.subList(0, 2));
    assertAlive(max.subList(2, 4));
  }

  @Test
  void idleInTransactionIsTerminatedOnlyWhenAskedAndBusyConnectionsNever() throws Exception {
    Target target = target(db, "postgres");

    ActionResult idleOnly = run(target, "idle_for", IDLE_FOR, "application_name", app("transaction"));
    assertThat(idleOnly.facts()).containsEntry("found", 0).containsEntry("terminated", 0);
    assertThat(idleOnly.message()).isEqualTo("no client backend was idle for more than 5s with application_name "
        + app("transaction"));
    assertThat(isRunning(group("transaction").get(0).pid())).isTrue();

    ActionResult withTransactions = run(target, "idle_for", IDLE_FOR, "application_name", app("transaction"),
        "include_idle_in_transaction", true);
    assertThat(withTransactions.facts()).containsEntry("terminated", 1)
        .containsEntry("pids", List.of(group("transaction").get(0).pid()));
    awaitGone(group("transaction"));

    ActionResult busyOne = run(target, "idle_for", IDLE_FOR, "application_name", app("active"),
        "include_idle_in_transaction", true);
    assertThat(busyOne.facts()).containsEntry("found", 0);
    assertThat(isRunning(group("active").get(0).pid())).isTrue();
  }

  @Test
  void roleWithoutPgSignalBackendGetsAPermanentFailureNamingIt() throws Exception {
    Held victim = group("permission").get(0);

    ActionResult denied = run(target(db, NO_SIGNAL), "idle_for", IDLE_FOR, "application_name", app("permission"));

    assertThat(denied).isInstanceOf(ActionResult.Permanent.class);
    assertThat(denied.message()).startsWith("target app-db: role " + NO_SIGNAL + " may not terminate backend "
        + victim.pid() + " of role " + VICTIM + ": it needs the pg_signal_backend privilege (GRANT pg_signal_backend TO "
        + NO_SIGNAL);
    assertThat(denied.facts()).containsEntry("found", 1).containsEntry("terminated", 0);
    assertThat(isRunning(victim.pid())).isTrue();

    try (Connection admin = TestDatabase.admin(); Statement statement = admin.createStatement()) {
      statement.execute("GRANT pg_signal_backend TO " + NO_SIGNAL);
    }
    ActionResult granted = run(target(db, NO_SIGNAL), "idle_for", IDLE_FOR, "application_name", app("permission"));

    assertThat(granted.facts()).containsEntry("terminated", 1).containsEntry("pids", List.of(victim.pid()));
    awaitGone(List.of(victim));
  }

  @Test
  void roleThatCannotSeeOtherRolesBackendsIsToldWhy() throws Exception {
    ActionResult result = run(target(db, NO_STATS), "idle_for", IDLE_FOR, "application_name", app("hidden"));

    assertThat(result.facts()).containsEntry("found", 0).containsEntry("hidden", 1);
    assertThat(result.message()).endsWith("; 1 backend of another role is hidden from role " + NO_STATS
        + " (GRANT pg_read_all_stats TO " + NO_STATS + " to see them)");
    assertAlive(group("hidden"));
  }

  @Test
  void runPastItsTimeLimitStopsTerminatingAndSaysHowFarItGot() throws Exception {
    Target target = target(db, "postgres");
    KillIdleConnectionsAction limited = new KillIdleConnectionsAction(target, Duration.ZERO);
    ActionResult result;
    try {
      result = limited.execute(request(target, Map.of("idle_for", IDLE_FOR, "application_name", app("deadline"))));
    } finally {
      limited.close();
    }

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("target app-db: stopped at the time limit of 0s after terminating 0 of 2");
    assertThat(result.facts()).containsEntry("found", 2).containsEntry("terminated", 0);
    assertAlive(group("deadline"));
  }

  @Test
  void moduleOpensAClosableActionBoundToItsTarget() throws Exception {
    Target target = target(db, "postgres");
    Action opened = new KillIdleConnectionsModule().open(target, new SharedClients(new OkHttpClient(),
        new ObjectMapper(), Map.of()));

    assertThat(opened).isInstanceOf(AutoCloseable.class);
    try {
      assertThat(opened.execute(request(target, Map.of("idle_for", "1h", "application_name", app("none")))))
          .isEqualTo(new ActionResult.Succeeded("no client backend was idle for more than 1h with application_name "
              + app("none"), Map.of("found", 0, "terminated", 0, "pids", List.of(), "users", List.of(),
              "applications", List.of())));
    } finally {
      ((AutoCloseable) opened).close();
    }
  }

  @Test
  void connectionRefusedIsRetryableNamingTheTargetWithoutItsPassword() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort() + "/app?password=s3cret-in-url";
    Target target = new Target("app-db", TargetKind.POSTGRES, Map.of("jdbc_url", url, "user", "app",
        "password", "s3cret-setting"));

    ActionResult result = run(target, "idle_for", "10m");

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable ->
        assertThat(retryable.reached()).isEqualTo(ActionResult.Reached.NOTHING));
    assertThat(result.message()).startsWith("cannot connect to target app-db (jdbc:postgresql://127.0.0.1:")
        .contains("/app?password=***)").contains("refused")
        .doesNotContain("s3cret-in-url").doesNotContain("s3cret-setting");
  }

  @Test
  void missingDatabaseIsPermanent() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:5432/remediator_missing_" + RUN;

    ActionResult result = run(new Target("app-db", TargetKind.POSTGRES, Map.of("jdbc_url", url, "user", "postgres")),
        "idle_for", "10m");

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).startsWith("cannot connect to target app-db (" + url + "): ")
        .contains("remediator_missing_" + RUN + "\" does not exist");
  }

  @Test
  void unreadablePasswordFileIsPermanentAndNamesTheFile() throws Exception {
    Path missing = dir.resolve("pg-password");
    Target target = new Target("app-db", TargetKind.POSTGRES, Map.of("jdbc_url", db.jdbcUrl(), "user", "postgres",
        "password_file", missing.toString()));

    ActionResult result = run(target, "idle_for", "10m");

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("target app-db: cannot read password_file " + missing + ": no such file");
  }

  @Test
  void invalidParametersAtRunTimeArePermanent() throws Exception {
    assertThat(run(target(db, "postgres"), "idle_for", "0s", "max", 0)).isEqualTo(new ActionResult.Permanent(
        "invalid parameters: idle_for must be at least 1s, but was 0s; max must be between 1 and 10000, but was 0",
        null));
  }

  private ActionResult run(Target target, Object... keysAndValues) throws InterruptedException {
    Map<String, Object> params = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      params.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    if (!target.equals(actionTarget)) {
      closeAction();
      action = new KillIdleConnectionsAction(target);
      actionTarget = target;
    }
    return action.execute(request(target, params));
  }

  private static Target target(TestDatabase database, String user) {
    return new Target("app-db", TargetKind.POSTGRES, Map.of("jdbc_url", database.jdbcUrl(), "user", user));
  }

  private static String app(String group) {
    return "kic-" + RUN + "-" + group;
  }

  private static List<Held> group(String name) {
    return groups.get(name);
  }

  private static List<Held> old(String group, TestDatabase database, String user, int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      Held connection = open(app(group), database, user);
      groups.computeIfAbsent(group, key -> new ArrayList<>()).add(connection);
    }
    return groups.get(group);
  }

  private static Held open(String application, TestDatabase database, String user) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("ApplicationName", application);
    properties.setProperty("connectTimeout", "5");
    Connection connection = DriverManager.getConnection(database.jdbcUrl(), properties);
    Held opened = new Held(connection, connection.unwrap(PGConnection.class).getBackendPID());
    held.add(opened);
    return opened;
  }

  /** Runs a statement on {@code connection}, so that it has been idle for no time at all. */
  private static void touch(Held connection) throws SQLException {
    try (Statement statement = connection.connection().createStatement()) {
      statement.execute("SELECT 1");
    }
  }

  private static List<Integer> pids(List<Held> connections) {
    return connections.stream().map(Held::pid).toList();
  }

  private static int countIdleLongerThan(List<Integer> pids, Duration age) throws SQLException {
    try (Connection admin = TestDatabase.admin();
         PreparedStatement statement = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity"
             + " WHERE pid = ANY (?) AND state_change <= now() - make_interval(secs => ?)")) {
      statement.setArray(1, admin.createArrayOf("integer", pids.toArray()));
      statement.setDouble(2, age.toSeconds());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  private static boolean isActive(int pid) throws SQLException {
    try (Connection admin = TestDatabase.admin(); PreparedStatement statement = admin.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND state = 'active'")) {
      statement.setInt(1, pid);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1) == 1;
      }
    }
  }

  private static boolean isRunning(int pid) throws SQLException {
    try (Connection admin = TestDatabase.admin();
         PreparedStatement statement = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
      statement.setInt(1, pid);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getInt(1) == 1;
      }
    }
  }

  /** The backends have exited, and their clients find their connections closed. */
  private static void awaitGone(List<Held> connections) {
    for (Held connection : connections) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !isRunning(connection.pid()));
      assertThatThrownBy(() -> touch(connection)).isInstanceOf(SQLException.class);
    }
  }

  private static void assertAlive(Held connection) throws SQLException {
    assertThat(isRunning(connection.pid())).as("backend %d", connection.pid()).isTrue();
    touch(connection);
  }

  private static void assertAlive(List<Held> connections) throws SQLException {
    for (Held connection : connections) {
      assertAlive(connection);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String randomTag() {
    SecureRandom random = new SecureRandom();
    StringBuilder tag = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      tag.append((char) ('a' + random.nextInt(26)));
    }
    return tag.toString();
  }
}
