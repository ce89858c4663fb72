package dev.remediator.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.remediator.alert.LabelMatcher.Op;
import dev.remediator.alert.Labels;
import dev.remediator.target.Target;
import dev.remediator.target.TargetKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulesLoaderTest {
  private static final String TARGETS = """
      targets:
        deployer: {kind: command}
        oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall", format: slack}
      """;

  private final RulesLoader loader = new RulesLoader(TestCatalog.actions(), Map.of("TEAM", "payments"));

  @Test
  void loadsEveryRuleKeyIntoTheRuleSet() {
    RuleSet set = loader.parse("rules.yml", """
        settings:
          dry_run: true
          max_actions: {count: 5, per: 10m}
        targets:
          deployer: {kind: command, working_dir: /srv/app}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall", format: slack}
        escalate_to: oncall
        rules:
          - name: restart-api
            match: ['alertname="HighErrorRate"', 'severity=~"critical|page"']
            action: command
            target: deployer
            with:
              argv: ["kubectl", "rollout", "restart", "deployment/{{ labels.service }}"]
              timeout: 60s
            allow: {service: "[a-z0-9-]{1,63}"}
            cooldown: 15m
            group_by: [namespace, service]
            max_actions: {count: 3, per: 1h}
            dry_run: false
            approval: required
        """);

    assertThat(set.source()).isEqualTo("rules.yml");
    assertThat(set.dryRun()).isTrue();
    assertThat(set.maxActions()).contains(new RateLimit(5, Duration.ofMinutes(10)));
    assertThat(set.escalateTo()).contains("oncall");
    assertThat(set.targets()).containsOnlyKeys("deployer", "oncall");
    assertThat(set.target("deployer")).isEqualTo(new Target("deployer", TargetKind.COMMAND, Map.of("working_dir", "/srv/app")));
    assertThat(set.target("oncall").settings()).isEqualTo(Map.of("url", "http://127.0.0.1:9/oncall", "format", "slack"));

    Rule rule = set.rules().get(0);
    assertThat(rule.name()).isEqualTo("restart-api");
    assertThat(rule.line()).isEqualTo(9);
    assertThat(rule.matchers()).extracting(m -> m.name(), m -> m.op(), m -> m.value())
        .containsExactly(tuple("alertname", Op.EQUAL, "HighErrorRate"), tuple("severity", Op.REGEX, "critical|page"));
    assertThat(rule.action()).isEqualTo("command");
    assertThat(rule.target()).isEqualTo("deployer");
    assertThat(rule.with()).isEqualTo(Map.of(
        "argv", List.of("kubectl", "rollout", "restart", "deployment/{{ labels.service }}"), "timeout", "60s"));
    assertThat(rule.allow()).containsOnlyKeys("service");
    assertThat(rule.allow().get("service").matcher("api").matches()).isTrue();
    assertThat(rule.cooldown()).contains(Duration.ofMinutes(15));
    assertThat(rule.groupBy()).containsExactly("namespace", "service");
    assertThat(rule.maxActions()).contains(new RateLimit(3, Duration.ofHours(1)));
    assertThat(rule.dryRun()).isFalse();
    assertThat(rule.approvalRequired()).isTrue();
    assertThat(set.matching(Labels.of("alertname", "HighErrorRate", "severity", "page"))).containsExactly(rule);
  }

  @Test
  void optionalKeysDefaultToNoLimitsAndNoApproval() {
    RuleSet set = loader.parse("rules.yml", TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
        """);

    Rule rule = set.rules().get(0);
    assertThat(set.dryRun()).isFalse();
    assertThat(set.maxActions()).isEmpty();
    assertThat(set.escalateTo()).isEmpty();
    assertThat(rule.with()).isEmpty();
    assertThat(rule.allow()).isEmpty();
    assertThat(rule.cooldown()).isEmpty();
    assertThat(rule.groupBy()).isEmpty();
    assertThat(rule.maxActions()).isEmpty();
    assertThat(rule.dryRun()).isFalse();
    assertThat(rule.approvalRequired()).isFalse();
  }

  @Test
  void unknownActionIsReportedWithItsLine() {
    assertThat(problems(TARGETS + """
        rules:
          - name: reboot-api
            match: ['alertname="APIDown"']
            action: reboot
            target: deployer
        """)).containsExactly("rules.yml:7: rules[0].action: unknown action \"reboot\" (known: command, notify)");
  }

  @Test
  void unknownKeyIsReportedWithTheClosestKnownKey() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            cooldwon: 15m
            remedy: {resolved_within: 5m}
        """)).containsExactly(
        "rules.yml:9: unknown key \"cooldwon\" in rules[0] (did you mean \"cooldown\"?)",
        "rules.yml:10: unknown key \"remedy\" in rules[0]");
  }

  @Test
  void unknownKeysAreReportedAtEveryLevel() {
    assertThat(problems("""
        settings:
          dryrun: true
          max_actions: {count: 5, per: 10m, burst: 2}
        targets:
          oncall: {kind: webhook, url: "http://x", fromat: json}
        rule: []
        """)).containsExactly(
        "rules.yml:1: missing required key \"rules\"",
        "rules.yml:2: unknown key \"dryrun\" in settings (did you mean \"dry_run\"?)",
        "rules.yml:3: unknown key \"burst\" in settings.max_actions",
        "rules.yml:5: unknown key \"fromat\" in targets.oncall (did you mean \"format\"?)",
        "rules.yml:6: unknown key \"rule\" in the file (did you mean \"rules\"?)");
  }

  @Test
  void missingRequiredRuleKeysAreReportedAtTheRule() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            action: notify
        """)).containsExactly(
        "rules.yml:5: rules[0]: missing required key \"match\"",
        "rules.yml:5: rules[0]: missing required key \"target\"");
  }

  @Test
  void unknownTargetIsReportedWithTheKnownOnes() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: on-call
        """)).containsExactly("rules.yml:8: rules[0].target: unknown target \"on-call\" (known: deployer, oncall)");
  }

  @Test
  void targetOfAKindTheActionCannotUseIsReported() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: deployer
        """)).containsExactly(
        "rules.yml:8: rules[0].target: action \"notify\" cannot use command target \"deployer\" (it needs a webhook target)");
  }

  @Test
  void invalidDurationNamesThePathAndTheValue() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            cooldown: 15x
        """)).containsExactly(
        "rules.yml:9: rules[0].cooldown: not a valid duration string: \"15x\" (use e.g. 90s, 15m, 1h30m)");
  }

  @Test
  void badMatcherIsReportedAtItsListEntry() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match:
              - 'alertname="APIDown"'
              - 'severity=~"(crit"'
              - 'env~="prod"'
            action: notify
            target: oncall
        """)).containsExactly(
        "rules.yml:8: rules[0].match[1]: bad matcher \"severity=~\\\"(crit\\\"\": bad regex \"(crit\": Unclosed group",
        "rules.yml:9: rules[0].match[2]: bad matcher \"env~=\\\"prod\\\"\": expected one of =, !=, =~, !~ after label"
            + " name \"env\", but found \"~=\"");
  }

  @Test
  void matchMustBeANonEmptyList() {
    assertThat(problems(TARGETS + """
        rules:
          - name: a
            match: []
            action: notify
            target: oncall
          - name: b
            match: 'alertname="APIDown"'
            action: notify
            target: oncall
        """)).containsExactly(
        "rules.yml:6: rules[0].match: must list at least one matcher, such as 'alertname=\"HighErrorRate\"'",
        "rules.yml:10: rules[1].match: expected a list, but found \"alertname=\\\"APIDown\\\"\"");
  }

  @Test
  void badAllowRegexAndBadAllowKeyAreReported() {
    assertThat(problems(TARGETS + """
        rules:
          - name: restart
            match: ['alertname="APIDown"']
            action: command
            target: deployer
            with: {argv: ["restart", "{{ labels.service }}"]}
            allow:
              service: "[a-z"
              labels.namespace: "prod"
              annotations.runbook: "https://.*"
        """)).containsExactly(
        "rules.yml:11: rules[0].allow.service: bad regex \"[a-z\": Unclosed character class",
        "rules.yml:12: rules[0].allow.labels.namespace: \"labels.namespace\" is not a label name"
            + " (write the bare label name \"namespace\")");
  }

  @Test
  void allowPatternsAreFullyAnchored() {
    RuleSet set = loader.parse("rules.yml", TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            allow: {severity: "crit", annotations.runbook: "https://wiki/.*"}
        """);

    Rule rule = set.rules().get(0);
    assertThat(rule.allow().get("severity").matcher("critical").matches()).isFalse();
    assertThat(rule.allow().get("severity").matcher("crit").matches()).isTrue();
    assertThat(rule.allow().get("annotations.runbook").matcher("https://wiki/x").matches()).isTrue();
  }

  @Test
  void badRuleNamesAndDuplicatesAreReported() {
    assertThat(problems(TARGETS + """
        rules:
          - name: Restart_API
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
        """)).containsExactly(
        "rules.yml:5: rules[0].name: rule name \"Restart_API\" must be lowercase letters, digits, \"-\", \"_\" or \".\","
            + " starting with a letter or digit",
        "rules.yml:13: rules[2].name: duplicate rule name \"page\" (first at line 9)");
  }

  @Test
  void duplicateYamlKeysAreReported() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            cooldown: 5m
            cooldown: 1h
        """)).containsExactly("rules.yml:10: duplicate key \"cooldown\" in rules[0] (first at line 9)");
  }

  @Test
  void rateLimitCountAndWindowAreChecked() {
    assertThat(problems(TARGETS + """
        settings:
          max_actions: {count: 0, per: 0}
        rules:
          - name: a
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            max_actions: {count: lots, per: 1h}
          - name: b
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            max_actions: {count: 3}
        """)).containsExactly(
        "rules.yml:5: settings.max_actions.count: must be a whole number of at least 1, but was \"0\"",
        "rules.yml:5: settings.max_actions.per: must be longer than 0",
        "rules.yml:11: rules[0].max_actions.count: must be a whole number of at least 1, but was \"lots\"",
        "rules.yml:16: rules[1].max_actions: missing required key \"per\"");
  }

  @Test
  void flagsAndApprovalAcceptOnlyTheirWords() {
    assertThat(problems(TARGETS + """
        settings: {dry_run: yes}
        rules:
          - name: a
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            dry_run: "maybe"
            approval: yes
        """)).containsExactly(
        "rules.yml:4: settings.dry_run: expected true or false, but was \"yes\"",
        "rules.yml:10: rules[0].dry_run: expected true or false, but was \"maybe\"",
        "rules.yml:11: rules[0].approval: must be \"required\" or \"none\", but was \"yes\"");
  }

  @Test
  void groupByTakesLabelNames() {
    assertThat(problems(TARGETS + """
        rules:
          - name: a
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            group_by: [service, "app.kubernetes.io/name"]
        """)).containsExactly(
        "rules.yml:9: rules[0].group_by[1]: invalid label name \"app.kubernetes.io/name\" (must match [a-zA-Z_][a-zA-Z0-9_]*)");
  }

  @Test
  void targetsAreCheckedAgainstTheirKind() {
    assertThat(problems("""
        targets:
          db: {kind: postgress, jdbc_url: "jdbc:postgresql://127.0.0.1/test"}
          hook: {kind: webhook, format: teams}
          cache: {kind: redis, url: "redis://127.0.0.1:6379", pasword: x}
          Bad_Name: {kind: command}
          nothing: {}
        escalate_to: cache
        rules: []
        """)).containsExactly(
        "rules.yml:2: targets.db.kind: unknown target kind \"postgress\" (known: postgres, redis, kubernetes, railway, command,"
            + " webhook, http)",
        "rules.yml:3: targets.hook: missing required key \"url\"",
        "rules.yml:3: targets.hook.format: must be \"slack\" or \"json\", but was \"teams\"",
        "rules.yml:4: unknown key \"pasword\" in targets.cache (did you mean \"password\"?)",
        "rules.yml:5: targets.Bad_Name: target name \"Bad_Name\" must be lowercase letters, digits, \"-\", \"_\" or \".\","
            + " starting with a letter or digit",
        "rules.yml:6: targets.nothing: missing required key \"kind\"");
  }

  @Test
  void everyKindTakesATimeoutAndAConcurrency() {
    RuleSet set = loader.parse("rules.yml", """
        targets:
          deployer: {kind: command, timeout: 2m, concurrency: 2}
          cluster: {kind: kubernetes, timeout: 45s}
          oncall: {kind: webhook, url: "http://127.0.0.1:9/oncall", concurrency: 5}
        rules: []
        """);

    assertThat(set.target("deployer").settings()).containsEntry("timeout", "2m").containsEntry("concurrency", "2");
    assertThat(set.target("cluster").setting("timeout")).isEqualTo("45s");
    assertThat(set.target("oncall").setting("concurrency")).isEqualTo("5");
  }

  @Test
  void targetTimeoutAndConcurrencyAreChecked() {
    assertThat(problems("""
        targets:
          a: {kind: command, timeout: soon}
          b: {kind: redis, url: "redis://127.0.0.1:6379", timeout: 2h}
          c: {kind: http, base_url: "http://127.0.0.1:9", concurrency: 0}
          d: {kind: railway, token: t, concurrency: many}
        rules: []
        """)).containsExactly(
        "rules.yml:2: targets.a.timeout: not a valid duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)",
        "rules.yml:3: targets.b.timeout: must be between 1s and 1h, but was 2h",
        "rules.yml:4: targets.c.concurrency: must be a whole number from 1 to 100, but was \"0\"",
        "rules.yml:5: targets.d.concurrency: must be a whole number from 1 to 100, but was \"many\"");
  }

  @Test
  void escalationNeedsAWebhookTarget() {
    assertThat(problems(TARGETS + "escalate_to: deployer\nrules: []\n"))
        .containsExactly("rules.yml:4: escalate_to: target \"deployer\" is a command target, but escalation needs a webhook target");
    assertThat(problems(TARGETS + "escalate_to: pager\nrules: []\n"))
        .containsExactly("rules.yml:4: escalate_to: unknown target \"pager\" (known: deployer, oncall)");
  }

  @Test
  void railwayTargetsNeedATokenAndHttpTargetsTakeHeaders() {
    assertThat(problems("""
        targets:
          platform: {kind: railway, api_url: "http://127.0.0.1:9/graphql"}
        rules: []
        """)).containsExactly("rules.yml:2: targets.platform: a railway target needs token or token_file");

    RulesLoader withEnv = new RulesLoader(TestCatalog.actions(), Map.of("TEAM", "payments"));
    RuleSet set = withEnv.parse("rules.yml", """
        targets:
          platform: {kind: railway, token_file: /run/secrets/railway}
          admin:
            kind: http
            base_url: "https://admin.internal/api/"
            headers: {X-Team: "${TEAM}", Accept: application/json}
        rules: []
        """);

    assertThat(set.target("platform").kind()).isEqualTo(TargetKind.RAILWAY);
    assertThat(set.target("admin").settingsUnder("headers"))
        .isEqualTo(Map.of("X-Team", "payments", "Accept", "application/json"));
  }

  @Test
  void environmentVariablesAreExpandedOnceAtLoad() {
    RulesLoader withEnv = new RulesLoader(TestCatalog.actions(), Map.of(
        "ONCALL_URL", "https://hooks.example/T1", "NS", "prod"));
    RuleSet set = withEnv.parse("rules.yml", """
        targets:
          oncall: {kind: webhook, url: "${ONCALL_URL}", format: "${FORMAT:-json}"}
        rules:
          - name: page
            match: ['namespace="${NS}"', 'job=~"api$"']
            action: notify
            target: oncall
            with: {text: "costs $$5 in ${NS}, see {{ labels.service }}"}
            cooldown: ${COOLDOWN:-10m}
        """);

    assertThat(set.target("oncall").settings()).containsEntry("url", "https://hooks.example/T1").containsEntry("format", "json");
    Rule rule = set.rules().get(0);
    assertThat(rule.matchers().get(0).value()).isEqualTo("prod");
    assertThat(rule.matchers().get(1).value()).isEqualTo("api$");
    assertThat(rule.with()).containsEntry("text", "costs $5 in prod, see {{ labels.service }}");
    assertThat(rule.cooldown()).contains(Duration.ofMinutes(10));
  }

  @Test
  void missingEnvironmentVariableIsReportedAtItsLine() {
    assertThat(problems("""
        targets:
          oncall:
            kind: webhook
            url: "${SLACK_WEBHOOK_URL}"
        rules:
          - name: page
            match: ['team="${TEAM}"']
            action: notify
            target: oncall
            with: {text: "${GREETING} team"}
        """)).containsExactly(
        "rules.yml:4: targets.oncall.url: environment variable SLACK_WEBHOOK_URL is not set",
        "rules.yml:10: rules[0].with.text: environment variable GREETING is not set");
  }

  @Test
  void withValuesKeepTheirYamlTypes() {
    RuleSet set = loader.parse("rules.yml", TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with:
              text: hello
        """);
    assertThat(set.rules().get(0).with()).isEqualTo(Map.of("text", "hello"));

    assertThat(withOf("{n: 3, big: 5000000000, ratio: 0.5, flag: true, word: on, hex: 0x1F, quoted: \"7\","
        + " nested: {list: [1, \"two\"]}}"))
        .isEqualTo(Map.of("n", 3, "big", 5_000_000_000L, "ratio", 0.5, "flag", true, "word", "on", "hex", "0x1F",
            "quoted", "7", "nested", Map.of("list", List.of(1, "two"))));
  }

  @Test
  void emptyWithValueIsReported() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with:
              text:
        """)).containsExactly("rules.yml:10: rules[0].with.text: must not be empty (quote it, \"\", for an empty string)");
  }

  @Test
  void unknownTemplateReferenceAndUnbalancedBracesAreReported() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with:
              text: "{{ .Labels.service }} is down"
          - name: page-again
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with:
              text: "{{ labels.service is down"
          - name: page-more
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with:
              text: "labels.service }} is down"
        """)).containsExactly(
        "rules.yml:10: rules[0].with.text: unknown template reference \".Labels.service\" (use labels.NAME,"
            + " annotations.NAME, fingerprint, status, startsAt, endsAt or generatorURL)",
        "rules.yml:16: rules[1].with.text: unclosed \"{{\" in \"{{ labels.service is down\"",
        "rules.yml:22: rules[2].with.text: \"}}\" without a matching \"{{\" in \"labels.service }} is down\"");
  }

  @Test
  void strictActionNeedsAnAllowPatternForEveryTemplatedLabel() {
    assertThat(problems(TARGETS + """
        rules:
          - name: restart
            match: ['alertname="APIDown"']
            action: command
            target: deployer
            with:
              argv: ["kubectl", "rollout", "restart", "deployment/{{ labels.service }}", "--namespace",
                     "{{ labels.namespace }}", "{{ annotations.reason }}", "{{ fingerprint }}"]
            allow: {namespace: "prod"}
        """)).containsExactly(
        "rules.yml:10: rules[0].with.argv[3] uses labels.service, which has no allow pattern",
        "rules.yml:11: rules[0].with.argv[6] uses annotations.reason, which has no allow pattern");
  }

  @Test
  void lenientActionMayTemplateLabelsWithoutAllowPatterns() {
    RuleSet set = loader.parse("rules.yml", TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with: {text: "{{ labels.service }}: {{ annotations.summary }}"}
        """);

    assertThat(set.rules()).hasSize(1);
  }

  @Test
  void actionParameterProblemsAreReportedAtTheParameterLine() {
    assertThat(problems(TARGETS + """
        rules:
          - name: restart
            match: ['alertname="APIDown"']
            action: command
            target: deployer
            with:
              argv:
                - "{{ labels.program }}"
                - restart
              timeout: soon
              retries: 3
            allow: {program: "[a-z]+"}
          - name: restart-again
            match: ['alertname="APIDown"']
            action: command
            target: deployer
        """)).containsExactly(
        "rules.yml:11: rules[0].with.argv[0]: the program must be literal, not templated",
        "rules.yml:13: rules[0].with.timeout: not a valid duration string: \"soon\" (use e.g. 90s, 15m, 1h30m)",
        "rules.yml:14: rules[0].with.retries: unknown parameter",
        "rules.yml:16: rules[1].with.argv: is required");
  }

  @Test
  void multipleProblemsAreReportedTogetherInLineOrder() {
    List<String> problems = problems("""
        rules:
          - name: restart
            match: ['alertname="APIDown"']
            action: reboot
            target: nowhere
            cooldown: 15x
        targets:
          oncall: {kind: webhook, url: "${MISSING_URL}"}
        """);

    assertThat(problems).containsExactly(
        "rules.yml:4: rules[0].action: unknown action \"reboot\" (known: command, notify)",
        "rules.yml:5: rules[0].target: unknown target \"nowhere\" (known: oncall)",
        "rules.yml:6: rules[0].cooldown: not a valid duration string: \"15x\" (use e.g. 90s, 15m, 1h30m)",
        "rules.yml:8: targets.oncall.url: environment variable MISSING_URL is not set");
  }

  @Test
  void yamlSyntaxErrorIsReportedWithItsLine() {
    assertThat(problems("""
        rules:
          - name: page
            match: ['alertname="APIDown"'
            action: notify
        """)).singleElement().asString().startsWith("rules.yml:4: YAML syntax error: ");
  }

  @Test
  void emptyFileIsReported() {
    assertThat(problems("# nothing yet\n"))
        .containsExactly("rules.yml:1: the file is empty; expected a mapping with settings, targets, escalate_to and rules");
  }

  @Test
  void fileThatIsNotAMappingIsReported() {
    assertThat(problems("- name: page\n"))
        .containsExactly("rules.yml:1: the file: expected a mapping, but found a list");
  }

  @Test
  void mergeKeysAreRefusedRatherThanSilentlyIgnored() {
    assertThat(problems(TARGETS + """
        rules:
          - &base
            name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
          - <<: *base
            name: page-two
        """)).containsExactly(
        "rules.yml:10: YAML merge keys (\"<<\") are not supported in rules[1]; write the keys out",
        "rules.yml:10: rules[1]: missing required key \"match\"",
        "rules.yml:10: rules[1]: missing required key \"action\"",
        "rules.yml:10: rules[1]: missing required key \"target\"");
  }

  @Test
  void recursiveAliasIsReportedNotFollowed() {
    assertThat(problems(TARGETS + """
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with: &loop {text: hi, again: *loop}
        """)).containsExactly("rules.yml:9: rules[0].with.again: an alias that contains itself cannot be read");
  }

  @Test
  void aliasChainsThatExpandHugelyAreCutShort() {
    StringBuilder yaml = new StringBuilder(TARGETS).append("""
        rules:
          - name: page
            match: ['alertname="APIDown"']
            action: notify
            target: oncall
            with:
              l0: &l0 [x, x, x, x]
        """);
    for (int i = 1; i < 12; i++) {
      yaml.append("      l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
          .append(i - 1).append(", *l").append(i - 1).append(", *l").append(i - 1).append("]\n");
    }

    assertThat(problems(yaml.toString())).singleElement().asString()
        .endsWith(": more than 10000 values in one with block");
  }

  private List<String> problems(String yaml) {
    RulesException e = catchThrowableOfType(RulesException.class, () -> loader.parse("rules.yml", yaml));
    assertThat(e).as("expected problems in:\n" + yaml).isNotNull();
    return e.problems();
  }

  /** Reads a with block on its own, through a one-rule file whose action accepts any parameters. */
  private static Map<String, Object> withOf(String flowMapping) {
    RulesLoader lenient = new RulesLoader(Map.of("any", new AnySpec()), Map.of());
    RuleSet set = lenient.parse("probe.yml", TARGETS + """
        rules:
          - name: probe
            match: ['alertname="X"']
            action: any
            target: oncall
            with: %s
        """.formatted(flowMapping));
    return set.rules().get(0).with();
  }

  private static final class AnySpec implements ActionSpec {
    @Override
    public String name() {
      return "any";
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
  }
}
