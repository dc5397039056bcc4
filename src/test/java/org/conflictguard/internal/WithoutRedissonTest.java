package org.conflictguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A database-only application runs with no Redisson on its class path. */
class WithoutRedissonTest {

    @Test
    void theDatabaseStoreNeedsNoRedisson() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.contains("redisson")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader app = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(app);
            try {
                Object result = app.loadClass(DatabaseOnlyApp.class.getName()).getMethod("run").invoke(null);
                assertThat(result).isEqualTo("database (h2), namespace 'conflictguard', lease PT30S; claimed 2, released 2;"
                        + " redisson absent");
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
    }
}
