package dev.remediator.action.redis;

import static dev.remediator.action.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.remediator.action.Action;
import dev.remediator.action.ActionResult;
import dev.remediator.action.SharedClients;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * flush_cache against the real Redis on 127.0.0.1:6379, in the high logical dbs 13 and 14 that
 * nothing else here uses, with key names that start with a tag unique to this run.
 */
class FlushCacheActionTest {
  private static final String HOST = "127.0.0.1";
  private static final int PORT = 6379;
  private static final int DB = 13;
  private static final int OTHER_DB = 14;

  private final String tag = "rt-" + randomTag();
  private final List<FlushCacheAction> actions = new ArrayList<>();
  private final List<String> aclUsers = new ArrayList<>();

  @TempDir
  Path dir;

  @AfterEach
  void cleanUp() {
    actions.forEach(FlushCacheAction::close);
    try (Jedis admin = admin(DB)) {
      deleteTagged(admin);
      admin.select(OTHER_DB);
      deleteTagged(admin);
      aclUsers.forEach(admin::aclDelUser);
    }
  }

  @Test
  void patternDeletesOnlyTheMatchingKeysOfTheTargetsDb() throws Exception {
    seed(DB, "apartment", 25);
    seed(DB, "session", 5);
    seed(OTHER_DB, "apartment", 7);

    ActionResult result = run(url(DB), "pattern", tag + ":apartment:*", "batch", 10);

    assertThat(result).isEqualTo(new ActionResult.Succeeded(
        "deleted 25 of 25 keys scanned matching \"" + tag + ":apartment:*\" in db 13",
        facts("pattern", tag + ":apartment:*", "db", DB, "keys_scanned", 25L, "keys_deleted", 25L,
            "stopped_at_cap", false)));
    assertThat(keys(DB, "apartment")).isEmpty();
    assertThat(keys(DB, "session")).hasSize(5);
    assertThat(keys(OTHER_DB, "apartment")).hasSize(7);
  }

  @Test
  void moduleOpensAClosableActionBoundToItsTarget() throws Exception {
    seed(DB, "apartment", 2);
    Target target = target(url(DB));
    Action opened = new FlushCacheModule().open(target, new SharedClients(new OkHttpClient(), new ObjectMapper(),
        Map.of()));

    assertThat(opened).isInstanceOf(AutoCloseable.class);
    try {
      assertThat(opened.execute(request(target, Map.of("pattern", tag + ":apartment:*"))).facts())
          .containsEntry("keys_deleted", 2L);
    } finally {
      ((AutoCloseable) opened).close();
    }
  }

  @Test
  void patternStopsAtMaxKeysAndSaysSo() throws Exception {
    seed(DB, "apartment", 30);

    ActionResult result = run(url(DB), "pattern", tag + ":apartment:*", "max_keys", 10, "batch", 4);

    assertThat(result).isInstanceOf(ActionResult.Succeeded.class);
    assertThat(result.facts()).containsEntry("keys_deleted", 10L).containsEntry("stopped_at_cap", true);
    assertThat(result.message()).startsWith("deleted 10 of ")
        .endsWith(" in db 13; stopped at max_keys 10, more keys may match");
    assertThat(keys(DB, "apartment")).hasSize(20);
  }

  @Test
  void patternUsesScanAndUnlinkNeverKeys() throws Exception {
    seed(DB, "apartment", 12);
    Map<String, Long> before = commandCalls();

    run(url(DB), "pattern", tag + ":apartment:*", "batch", 5);

    Map<String, Long> after = commandCalls();
    assertThat(after.getOrDefault("keys", 0L)).isEqualTo(before.getOrDefault("keys", 0L));
    assertThat(after.getOrDefault("scan", 0L)).isGreaterThan(before.getOrDefault("scan", 0L));
    assertThat(after.getOrDefault("unlink", 0L) - before.getOrDefault("unlink", 0L)).isGreaterThanOrEqualTo(3);
    assertThat(keys(DB, "apartment")).isEmpty();
  }

  @Test
  void scopeDbFlushesOnlyTheDbOfTheUrl() throws Exception {
    seed(DB, "kept", 4);
    seed(OTHER_DB, "flushed", 6);
    long held;
    try (Jedis admin = admin(OTHER_DB)) {
      held = admin.dbSize();
    }

    ActionResult result = run(url(OTHER_DB), "scope", "db");

    assertThat(result).isEqualTo(new ActionResult.Succeeded("flushed db 14 (FLUSHDB ASYNC), which held " + held
        + " keys", facts("scope", "db", "db", OTHER_DB, "keys_before", held)));
    try (Jedis admin = admin(OTHER_DB)) {
      assertThat(admin.dbSize()).isZero();
    }
    assertThat(keys(DB, "kept")).hasSize(4);
  }

  @Test
  void connectionRefusedIsRetryableNamingTheTargetWithoutThePassword() throws Exception {
    int port = closedPort();

    ActionResult result = run("redis://:s3cret-pw@127.0.0.1:" + port + "/13", "pattern", "apartment:*");

    assertThat(result).isInstanceOfSatisfying(ActionResult.Retryable.class, retryable ->
        assertThat(retryable.reached()).as("nothing was deleted yet").isEqualTo(ActionResult.Reached.READS_ONLY));
    assertThat(result.message()).startsWith("cannot reach target app-cache (127.0.0.1:" + port + " db 13): ")
        .contains("Connection refused").doesNotContain("s3cret-pw");
  }

  @Test
  void failureAfterDeletingStartedIsPermanentAndSaysHowFarItGot() throws Exception {
    seed(DB, "apartment", 20);
    Target target = target(url(DB));
    FlushCacheAction action = new FlushCacheAction(target, FlushCacheAction.TIME_LIMIT,
        deleted -> killClient("remediator-flush_cache-app-cache"));
    actions.add(action);

    ActionResult result = action.execute(request(target, Map.of("pattern", tag + ":apartment:*", "batch", 5)));

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).startsWith("target app-cache (127.0.0.1:6379 db 13): flush_cache failed after"
        + " deleting 5 keys matching \"" + tag + ":apartment:*\"; not retried, since the last UNLINK may have acted: ");
    assertThat(result.facts()).containsEntry("keys_deleted", 5L).containsEntry("stopped_at_cap", false);
    assertThat(keys(DB, "apartment")).hasSize(15);
  }

  @Test
  void deletingPastTheTimeLimitStopsAndSaysHowFarItGot() throws Exception {
    seed(DB, "apartment", 30);
    Target target = target(url(DB));
    FlushCacheAction action = new FlushCacheAction(target, Duration.ZERO, deleted -> { });
    actions.add(action);

    ActionResult result = action.execute(request(target, Map.of("pattern", tag + ":apartment:*", "batch", 5)));

    int left = keys(DB, "apartment").size();
    assertThat(left).isPositive();
    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).isEqualTo("target app-cache (127.0.0.1:6379 db 13): stopped at the time limit of 0s"
        + " after deleting " + (30 - left) + " keys matching \"" + tag + ":apartment:*\"; more keys may match");
    assertThat(result.facts()).containsEntry("keys_deleted", (long) (30 - left));
  }

  @Test
  void userAndPasswordComeFromTheUrlOrFromPasswordFile() throws Exception {
    String user = aclUser("s3cret user:pw@/");
    seed(DB, "apartment", 3);
    seed(DB, "session", 2);

    ActionResult fromUrl = run("redis://" + user + ":s3cret%20user%3Apw%40%2F@127.0.0.1:6379/13",
        "pattern", tag + ":apartment:*");
    Path passwordFile = Files.writeString(dir.resolve("redis-password"), "s3cret user:pw@/\n");
    ActionResult fromFile = run(target("redis://" + user + "@127.0.0.1:6379/13", "password_file", passwordFile.toString()),
        "pattern", tag + ":session:*");

    assertThat(fromUrl.facts()).containsEntry("keys_deleted", 3L);
    assertThat(fromFile.facts()).containsEntry("keys_deleted", 2L);
    assertThat(keys(DB, "apartment")).isEmpty();
    assertThat(keys(DB, "session")).isEmpty();
  }

  @Test
  void wrongPasswordIsPermanentAndNeverShown() throws Exception {
    String user = aclUser("right-password");

    ActionResult result = run("redis://" + user + ":wrong-s3cret@127.0.0.1:6379/13", "pattern", "apartment:*");

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).startsWith("target app-cache (127.0.0.1:6379 db 13) refused: ")
        .contains("WRONGPASS").doesNotContain("wrong-s3cret");
  }

  @Test
  void commandTheUserMayNotRunIsPermanent() throws Exception {
    String user = aclUser("pw", "-unlink");
    seed(DB, "apartment", 3);

    ActionResult result = run("redis://" + user + ":pw@127.0.0.1:6379/13", "pattern", tag + ":apartment:*");

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).startsWith("target app-cache (127.0.0.1:6379 db 13) refused a command after deleting"
        + " 0 keys matching \"" + tag + ":apartment:*\": ").contains("NOPERM");
    assertThat(keys(DB, "apartment")).hasSize(3);
  }

  @Test
  void dbThatTheServerDoesNotHaveIsPermanent() throws Exception {
    ActionResult result = run("redis://127.0.0.1:6379/99", "scope", "db");

    assertThat(result).isInstanceOf(ActionResult.Permanent.class);
    assertThat(result.message()).startsWith("target app-cache (127.0.0.1:6379 db 99) refused: ")
        .contains("DB index is out of range");
  }

  @Test
  void passwordGivenTwiceOrABadUrlIsPermanentWithoutTheSecret() throws Exception {
    ActionResult twice = run(target("redis://:s3cret@127.0.0.1:6379/13", "password", "s3cret"), "scope", "db");
    ActionResult notRedis = run("http://:s3cret@127.0.0.1:6379/13", "scope", "db");

    assertThat(twice).isEqualTo(new ActionResult.Permanent(
        "target app-cache: give the password in one place: the url, password or password_file", null));
    assertThat(notRedis).isEqualTo(new ActionResult.Permanent(
        "target app-cache: url must start with redis:// or rediss://", null));
  }

  private ActionResult run(String url, Object... keysAndValues) throws InterruptedException {
    return run(target(url), keysAndValues);
  }

  private ActionResult run(Target target, Object... keysAndValues) throws InterruptedException {
    Map<String, Object> params = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      params.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    FlushCacheAction action = new FlushCacheAction(target);
    actions.add(action);
    return action.execute(request(target, params));
  }

  private static Target target(String url, String... settings) {
    Map<String, String> all = new HashMap<>(Map.of("url", url));
    for (int i = 0; i < settings.length; i += 2) {
      all.put(settings[i], settings[i + 1]);
    }
    return new Target("app-cache", TargetKind.REDIS, all);
  }

  private static String url(int db) {
    return "redis://" + HOST + ":" + PORT + "/" + db;
  }

  private static Jedis admin(int db) {
    Jedis jedis = new Jedis(HOST, PORT, 5_000);
    try {
      jedis.select(db);
    } catch (JedisException e) {
      jedis.close();
      throw new IllegalStateException("Redis is not reachable at " + HOST + ":" + PORT
          + " (run .ci/run, which starts it): " + e.getMessage(), e);
    }
    return jedis;
  }

  /** An ACL user for this run with {@code password}, all keys and commands, less {@code denied}. */
  private String aclUser(String password, String... denied) {
    String name = tag + "-user-" + aclUsers.size();
    List<String> rules = new ArrayList<>(List.of("reset", "on", ">" + password, "~*", "&*", "+@all"));
    rules.addAll(List.of(denied));
    try (Jedis admin = admin(DB)) {
      admin.aclSetUser(name, rules.toArray(String[]::new));
    }
    aclUsers.add(name);
    return name;
  }

  private void seed(int db, String kind, int count) {
    try (Jedis admin = admin(db)) {
      for (int i = 0; i < count; i++) {
        admin.set(tag + ":" + kind + ":" + i, "v" + i);
      }
    }
  }

  private Set<String> keys(int db, String kind) {
    try (Jedis admin = admin(db)) {
      Set<String> found = new TreeSet<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = admin.scan(cursor, new ScanParams().match(tag + ":" + kind + ":*").count(100));
        found.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return found;
    }
  }

  private void deleteTagged(Jedis admin) {
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = admin.scan(cursor, new ScanParams().match(tag + ":*").count(100));
      if (!page.getResult().isEmpty()) {
        admin.del(page.getResult().toArray(String[]::new));
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
  }

  /** Calls per command since the server started, from INFO commandstats. */
  private static Map<String, Long> commandCalls() {
    try (Jedis admin = admin(DB)) {
      Map<String, Long> calls = new HashMap<>();
      for (String line : admin.info("commandstats").split("\r?\n")) {
        if (line.startsWith("cmdstat_")) {
          String name = line.substring("cmdstat_".length(), line.indexOf(':'));
          String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
          calls.put(name, Long.parseLong(count));
        }
      }
      return calls;
    }
  }

  /** Closes the server side of every connection named {@code name}, as a failing network would. */
  private static void killClient(String name) {
    try (Jedis admin = admin(DB)) {
      for (String line : admin.clientList().split("\n")) {
        if (line.contains(" name=" + name + " ")) {
          String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
          admin.clientKill(ClientKillParams.clientKillParams().id(id));
        }
      }
    }
  }

  private static Map<String, Object> facts(Object... keysAndValues) {
    Map<String, Object> facts = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      facts.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return facts;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String randomTag() {
    SecureRandom random = new SecureRandom();
    StringBuilder tag = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      tag.append((char) ('a' + random.nextInt(26)));
    }
    return tag.toString();
  }
}
