package org.conflictguard.containers;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.conflictguard.containers.app.Api;
import org.conflictguard.containers.app.Board;
import org.conflictguard.containers.app.ContainersDatabase;
import org.conflictguard.containers.app.EventLog;
import org.conflictguard.containers.app.Holds;
import org.conflictguard.containers.app.Project;
import org.conflictguard.containers.app.RedisConnection;
import org.conflictguard.containers.app.Resources;
import org.conflictguard.containers.app.Setup;
import org.conflictguard.containers.app.Task;
import org.conflictguard.containers.app.TaskWriter;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the deployed archive as an application would package it: the library and its Redis
 * client in WEB-INF/lib, the library's templates unchanged ({@code orm.xml} registers the entity
 * listener, {@code ddl/h2.sql} creates the claim tables, the {@code conflictguard} unit of
 * {@code persistence-unit.xml} sits next to the application's own), and its settings in
 * {@code META-INF/microprofile-config.properties}.
 */
final class Deployments {

    private Deployments() {
    }

    /**
     * @param name the archive's name (its context root)
     * @param settings MicroProfile Config settings of the deployment
     * @param redis whether the application's RedissonClient bean is deployed
     * @param tests the test classes that run inside the server
     */
    static WebArchive war(String name, Map<String, String> settings, boolean redis, Class<?>... tests) {
        Path templates = Path.of(required("containers.templates"));
        WebArchive war = ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(Project.class, Task.class, Setup.class, ContainersDatabase.class, Board.class,
                        TaskWriter.class, EventLog.class, Holds.class, Api.class, Resources.class)
                .addClasses(tests)
                .addAsResource(new StringAsset(persistenceXml(templates)), "META-INF/persistence.xml")
                .addAsResource(templates.resolve("orm.xml").toFile(), "META-INF/orm.xml")
                .addAsResource(templates.resolve("ddl/h2.sql").toFile(), "META-INF/conflictguard/ddl/h2.sql")
                .addAsResource(new StringAsset(properties(templates, settings)), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml");
        if (redis) {
            war.addClass(RedisConnection.class);
        }
        try (Stream<Path> libs = Files.list(Path.of(required("containers.libs")))) {
            libs.filter(p -> p.toString().endsWith(".jar")).forEach(p -> war.addAsLibrary(p.toFile()));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list the deployment's libraries", e);
        }
        // What the tests use inside the server.
        war.addAsLibraries(jarOf(org.assertj.core.api.Assertions.class));
        return war;
    }

    /** The application's unit and the library's, from persistence-unit.xml as shipped. */
    private static String persistenceXml(Path templates) {
        String unit = read(templates.resolve("persistence-unit.xml"));
        String header = unit.substring(unit.indexOf("<persistence "), unit.indexOf('>', unit.indexOf("<persistence "))
                + 1);
        String library = unit.substring(unit.indexOf("<persistence-unit "), unit.indexOf("</persistence-unit>")
                + "</persistence-unit>".length());
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + header + """

                  <persistence-unit name="containers" transaction-type="JTA">
                    <jta-data-source>java:app/jdbc/containers</jta-data-source>
                    <class>org.conflictguard.containers.app.Project</class>
                    <class>org.conflictguard.containers.app.Task</class>
                    <exclude-unlisted-classes>true</exclude-unlisted-classes>
                    <!-- No constraints to validate. And on WildFly a flush in the application's
                         startup observer (Setup) waited for the server's CDI validator factory,
                         which was starting beside it and waited for the CDI container that the
                         observer held: the deployment deadlocked once in a build. -->
                    <validation-mode>NONE</validation-mode>
                    <properties>
                      <property name="jakarta.persistence.schema-generation.database.action" value="drop-and-create"/>
                    </properties>
                  </persistence-unit>
                """ + "  " + library + "\n</persistence>\n";
    }

    /** The template's defaults, then the deployment's settings (the last value of a key wins). */
    private static String properties(Path templates, Map<String, String> settings) {
        StringBuilder text = new StringBuilder(read(templates.resolve("microprofile-config.properties")));
        text.append("\n# The deployment's own\n");
        settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set: run these tests with"
                    + " mvn -f containers/pom.xml verify");
        }
        return value;
    }
}
