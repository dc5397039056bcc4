package org.conflictguard.containers;

import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The scenarios with claims in the database store (the deployment's H2, the library's unit). */
public class DatabaseStoreIT extends ContainerScenarios {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war("database-store", Map.of("conflictguard.store", "database"), false,
                DatabaseStoreIT.class, ContainerScenarios.class);
    }

    @Override
    String store() {
        return "database";
    }
}
