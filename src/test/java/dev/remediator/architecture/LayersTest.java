package dev.remediator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of ARCHITECTURE.md, top to bottom: a package may use the packages on lines below
 * its own, never those above it or beside it. Audit sits above store: audit events are stored by
 * the stores' callers in their transactions, and the sealer will read the store, while no store
 * needs to know about auditing.
 */
class LayersTest {
  private static final String ROOT = "dev.remediator.";
  static final List<List<String>> LAYERS = List.of(
      List.of("cli"),
      List.of("bench"),
      List.of("app"),
      List.of("api", "web"),
      List.of("intake"),
      List.of("engine"),
      List.of("resilience"),
      List.of("action", "upstream"),
      List.of("audit"),
      List.of("store"),
      List.of("rules"),
      List.of("target"),
      List.of("alert", "json", "http", "config", "metrics"));

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.remediator");
  }

  @Test
  void everyClassLivesInALayer() {
    List<String> known = new ArrayList<>();
    LAYERS.forEach(line -> line.forEach(pkg -> known.add(ROOT + pkg + "..")));
    noClasses().should().resideOutsideOfPackages(known.toArray(String[]::new))
        .because("every package has its place in ARCHITECTURE.md's layers")
        .check(classes);
  }

  @Test
  void packagesUseOnlyTheLayersBelowThem() {
    for (int level = 0; level < LAYERS.size(); level++) {
      for (String pkg : LAYERS.get(level)) {
        List<String> forbidden = new ArrayList<>();
        for (int other = 0; other <= level; other++) {
          for (String higher : LAYERS.get(other)) {
            if (!higher.equals(pkg)) {
              forbidden.add(ROOT + higher + "..");
            }
          }
        }
        noClasses().that().resideInAPackage(ROOT + pkg + "..")
            .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
            .because(pkg + " may only use the layers below it")
            .allowEmptyShould(true)
            .check(classes);
      }
    }
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.remediator.(**)").should().beFreeOfCycles().check(classes);
  }
}
