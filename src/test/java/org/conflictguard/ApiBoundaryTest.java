package org.conflictguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Public API and SPI signatures name only API, SPI and JDK / Jakarta types. */
class ApiBoundaryTest {

    @Test
    void apiAndSpiSignaturesDoNotLeakInternalsOrOptionalDependencies() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : classesIn("org/conflictguard", "org/conflictguard/spi", "org/conflictguard/rest")) {
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            for (Method method : type.getMethods()) {
                if (method.getDeclaringClass() != type) {
                    continue;
                }
                check(leaks, type + "." + method.getName(), method.getGenericReturnType());
                for (Type parameter : method.getGenericParameterTypes()) {
                    check(leaks, type + "." + method.getName(), parameter);
                }
            }
            for (Field field : type.getFields()) {
                check(leaks, type + "." + field.getName(), field.getGenericType());
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static void check(List<String> leaks, String where, Type type) {
        String name = type.getTypeName();
        if (name.contains("org.conflictguard.internal") || name.contains("org.conflictguard.store")
                || name.contains("org.redisson") || name.contains("org.hibernate")) {
            leaks.add(where + " exposes " + name);
        }
    }

    private static List<Class<?>> classesIn(String... packages) throws IOException, URISyntaxException,
            ClassNotFoundException {
        Path root = Path.of(ConflictGuard.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> classes = new ArrayList<>();
        for (String pkg : packages) {
            try (Stream<Path> files = Files.list(root.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = pkg.replace('/', '.') + "." + file.getFileName().toString().replace(".class", "");
                    classes.add(Class.forName(name));
                }
            }
        }
        assertThat(classes).hasSizeGreaterThan(15);
        return classes;
    }
}
