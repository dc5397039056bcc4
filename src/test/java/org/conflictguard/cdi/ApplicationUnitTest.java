package org.conflictguard.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManagerFactory;
import org.conflictguard.ConfigKeys;
import org.conflictguard.ConfigurationException;
import org.conflictguard.support.TestDatabase;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which EntityManagerFactory bean the CDI integration reads the graph from when several answer,
 * as on a Jakarta EE 11 server that makes every unit of the deployment a {@code @Default} bean (the
 * library's own unit included) next to the one the application produces. Weld SE, real units.
 */
class ApplicationUnitTest {

    private static TestDatabase db;

    @BeforeAll
    static void units() {
        db = TestDatabase.create(TestDatabase.Kind.H2);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void theLibrarysOwnUnitAndSecondBeansOfTheSameUnitAreSetAside() {
        Units.application = db.unit("tracker");
        Units.other = db.unit("tracker");
        try (WeldContainer weld = weld(ApplicationProduced.class, ServerMadeApplication.class, ServerMadeLibrary.class)) {
            assertThat(ApplicationUnit.of(weld.select(Probe.class).get().units)).isSameAs(db.unit("tracker"));
        }
    }

    @Test
    void onlyTheLibrarysUnitMeansNoGraph() {
        try (WeldContainer weld = weld(ServerMadeLibrary.class)) {
            assertThat(ApplicationUnit.of(weld.select(Probe.class).get().units)).isNull();
        }
    }

    @Test
    void oneBeanIsTakenAsItIs() {
        Units.application = db.unit("dag");
        try (WeldContainer weld = weld(ApplicationProduced.class)) {
            assertThat(ApplicationUnit.of(weld.select(Probe.class).get().units)).isSameAs(db.unit("dag"));
        }
    }

    @Test
    void twoApplicationUnitsAreRefusedNamingTheirEntitiesAndWhatToDo() {
        Units.application = db.unit("tracker");
        Units.other = db.unit("dag");
        try (WeldContainer weld = weld(ApplicationProduced.class, ServerMadeApplication.class, ServerMadeLibrary.class)) {
            Instance<EntityManagerFactory> units = weld.select(Probe.class).get().units;
            assertThatThrownBy(() -> ApplicationUnit.of(units)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("2 persistence units").hasMessageContaining("org.conflictguard.graph.Task")
                    .hasMessageContaining("<qualifier>")
                    .satisfies(e -> assertThat(((ConfigurationException) e).key()).isEqualTo(ConfigKeys.PERSISTENCE_UNIT));
        }
    }

    private static WeldContainer weld(Class<?>... producers) {
        return new Weld().disableDiscovery().addBeanClass(Probe.class).addBeanClasses(producers).initialize();
    }

    static final class Units {
        static volatile EntityManagerFactory application;
        static volatile EntityManagerFactory other;
    }

    @Dependent
    static class Probe {
        @Inject
        Instance<EntityManagerFactory> units;
    }

    @ApplicationScoped
    static class ApplicationProduced {
        @Produces
        EntityManagerFactory unit() {
            return Units.application;
        }
    }

    @ApplicationScoped
    static class ServerMadeApplication {
        @Produces
        EntityManagerFactory unit() {
            return Units.other;
        }
    }

    @ApplicationScoped
    static class ServerMadeLibrary {
        @Produces
        EntityManagerFactory unit() {
            return db.emf();
        }
    }
}
