package org.conflictguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules, checked over the compiled classes: the API, the SPI, the stores, the CDI
 * and REST integrations and the internals each keep to their side.
 */
class ArchitectureTest {

    private static final String API = "org.conflictguard";
    private static JavaClasses classes;

    @BeforeAll
    static void importLibrary() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(API);
        assertThat(classes.size()).isGreaterThan(60);
    }

    @Test
    void theSpiAndTheStoresNeverDependOnTheInternalsOrTheIntegrations() {
        noClasses().that().resideInAnyPackage(API + ".spi..", API + ".store..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".internal..", API + ".cdi..", API + ".rest..")
                .check(classes);
    }

    @Test
    void theApiReachesTheInternalsOnlyThroughTheBuilderAndTheEntityListener() {
        noClasses().that().resideInAPackage(API)
                .and().doNotHaveFullyQualifiedName(ConflictGuardBuilder.class.getName())
                .and().doNotHaveFullyQualifiedName(ConflictGuardEntityListener.class.getName())
                .should().dependOnClassesThat().resideInAnyPackage(API + ".internal..")
                .check(classes);
        noClasses().that().resideInAPackage(API)
                .should().dependOnClassesThat().resideInAnyPackage(API + ".store..", API + ".cdi..", API + ".rest..")
                .check(classes);
    }

    @Test
    void theInternalsAndTheRestMappersNeverDependOnTheCdiIntegration() {
        noClasses().that().resideInAnyPackage(API + ".internal..", API + ".rest..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".cdi..")
                .check(classes);
        noClasses().that().resideInAnyPackage(API + ".rest..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".internal..", API + ".store..")
                .check(classes);
    }

    @Test
    void theAdminResourceUsesThePublicApiAndReadsSettingsOnly() {
        noClasses().that().resideInAnyPackage(API + ".admin..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".store..", API + ".cdi..", API + ".spi..",
                        API + ".internal")
                .check(classes);
        noClasses().that().resideInAnyPackage(API + ".admin..")
                .should().dependOnClassesThat().resideInAnyPackage(API + ".internal.metrics..", API + ".internal.graph..",
                        API + ".internal.write..")
                .check(classes);
    }

    @Test
    void noPackageCyclesBesideTheApiEntryPointsAndTheApiSpiPair() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return javaClass.getPackageName().startsWith(API) ? SliceIdentifier.of(javaClass.getPackageName())
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "one slice per package";
            }
        }).should().beFreeOfCycles()
                // The API's two entry points into the internals; the internals depend on the API.
                .ignoreDependency(DescribedPredicate.describe("the builder or the entity listener",
                        (JavaClass c) -> c.isEquivalentTo(ConflictGuardBuilder.class)
                                || c.isEquivalentTo(ConflictGuardEntityListener.class)),
                        DescribedPredicate.describe("internals", (JavaClass c) -> c.getPackageName()
                                .startsWith(API + ".internal")))
                // The API and the SPI may reference each other.
                .ignoreDependency(DescribedPredicate.describe("the API", ArchitectureTest::isApi),
                        DescribedPredicate.describe("the SPI", ArchitectureTest::isSpi))
                .ignoreDependency(DescribedPredicate.describe("the SPI", ArchitectureTest::isSpi),
                        DescribedPredicate.describe("the API", ArchitectureTest::isApi))
                .check(classes);
    }

    @Test
    void publicSignaturesOutsideTheInternalsNameNoInternalTypeAndApiSignaturesNoOptionalDependency() {
        List<String> leaks = new java.util.ArrayList<>();
        for (JavaClass type : classes) {
            String pkg = type.getPackageName();
            if (pkg.startsWith(API + ".internal") || !type.getModifiers().contains(
                    com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)) {
                continue;
            }
            boolean apiOrSpi = pkg.equals(API) || pkg.equals(API + ".spi") || pkg.equals(API + ".rest");
            type.getMethods().stream().filter(m -> m.getModifiers().contains(
                    com.tngtech.archunit.core.domain.JavaModifier.PUBLIC)).forEach(method -> {
                        List<JavaClass> named = new java.util.ArrayList<>(method.getRawParameterTypes());
                        named.add(method.getRawReturnType());
                        for (JavaClass used : named) {
                            String name = used.getName();
                            if (name.startsWith(API + ".internal") || apiOrSpi && (name.startsWith(API + ".store")
                                    || name.startsWith("org.redisson") || name.startsWith("org.hibernate"))) {
                                leaks.add(method.getFullName() + " names " + name);
                            }
                        }
                    });
        }
        assertThat(leaks).isEmpty();
    }

    private static boolean isApi(JavaClass c) {
        return c.getPackageName().equals(API);
    }

    private static boolean isSpi(JavaClass c) {
        return c.getPackageName().equals(API + ".spi");
    }
}
