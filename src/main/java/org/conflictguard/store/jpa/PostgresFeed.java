package org.conflictguard.store.jpa;

import jakarta.persistence.EntityManagerFactory;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.conflictguard.spi.ClaimWatcher;

/**
 * Delivers a namespace's grants and ends on PostgreSQL to a {@link ClaimWatcher}: once a claim or
 * release has committed, {@link PostgresNotifier} notifies the channel {@value #CHANNEL} with
 * {@code "<namespace> G <token>"} or {@code "<namespace> E <token>"}, and a thread of this feed
 * {@code LISTEN}s on a connection of its own, outside any transaction, for as long as the feed
 * lives (one connection of the unit's pool, where it has one). The connection comes from the
 * persistence unit: its data source (a {@code DataSource}, or a JNDI name), else its provider
 * (Hibernate's connection pool, EclipseLink's login), else its JDBC URL and login. It names
 * itself {@value #APPLICATION_NAME} in {@code pg_stat_activity}. A failing
 * connection interrupts the watcher at once; the feed then
 * connects again (waiting up to 5 s between tries) and resumes it after {@code LISTEN}. The
 * connection is checked with a query every second, with a 5 s network timeout, so a connection
 * that died silently is noticed within about 6 s. Thread-safe.
 */
final class PostgresFeed implements AutoCloseable {

    /** The channel every namespace's changes are notified on. */
    static final String CHANNEL = "conflictguard";
    /** How the listening connection names itself ({@code pg_stat_activity.application_name}). */
    static final String APPLICATION_NAME = "conflictguard-listen";

    private static final System.Logger LOG = System.getLogger(JpaClaimStore.class.getName());
    private static final int WAIT_MILLIS = 250;
    private static final int NETWORK_TIMEOUT_MILLIS = 5000;
    private static final String[] DATA_SOURCE_KEYS = {"jakarta.persistence.nonJtaDataSource",
        "javax.persistence.nonJtaDataSource", "hibernate.connection.datasource", "jakarta.persistence.jtaDataSource",
        "javax.persistence.jtaDataSource"};
    private static final String[][] URL_KEYS = {
        {"jakarta.persistence.jdbc.url", "jakarta.persistence.jdbc.user", "jakarta.persistence.jdbc.password"},
        {"javax.persistence.jdbc.url", "javax.persistence.jdbc.user", "javax.persistence.jdbc.password"},
        {"hibernate.connection.url", "hibernate.connection.username", "hibernate.connection.password"}};

    /** Opens a connection to listen on, and gives it back. */
    interface Source {
        Connection open() throws SQLException;

        default void release(Connection connection) throws SQLException {
            connection.close();
        }
    }

    private final Source source;
    private final String namespace;
    private final ClaimWatcher watcher;
    private final Thread thread;
    private volatile boolean closed;
    /** How the connection was set when it was lent, to give it back so. */
    private boolean autoCommit;
    private String applicationName;

    private PostgresFeed(Source source, String namespace, ClaimWatcher watcher) {
        this.source = source;
        this.namespace = namespace;
        this.watcher = watcher;
        this.thread = new Thread(this::run, "conflictguard-listen");
        this.thread.setDaemon(true);
    }

    /**
     * A feed listening for this namespace, or empty (with a log line) when the unit names no data
     * source or JDBC URL to open a connection with.
     */
    static Optional<AutoCloseable> start(EntityManagerFactory emf, String namespace, ClaimWatcher watcher) {
        Optional<Source> source = sourceOf(emf);
        if (source.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "The database store cannot open a connection of its own to LISTEN for"
                    + " claims (its persistence unit names no data source or JDBC URL, and its provider lends none):"
                    + " write checks compare with the database every conflictguard.view.poll-interval instead");
            return Optional.empty();
        }
        PostgresFeed feed = new PostgresFeed(source.get(), namespace, watcher);
        feed.thread.start();
        return Optional.of(feed);
    }

    /** The payload that announces a grant, but for its token. */
    static String grantPrefix(String namespace) {
        return namespace + " G ";
    }

    /** The payload that announces a grant. */
    static String granted(String namespace, long token) {
        return grantPrefix(namespace) + token;
    }

    /** The payload that announces that a place left the queue of waiting claims. */
    static String left(String namespace, long ticket) {
        return namespace + " Q " + ticket;
    }

    /** A watcher that also hears of places leaving the queue of waiting claims. */
    interface QueueWatcher extends ClaimWatcher {

        /** The place with this ticket left the queue (its claim was granted, or stopped waiting). */
        void left(long ticket);
    }

    /** The payload that announces an end. */
    static String ended(String namespace, long token) {
        return namespace + " E " + token;
    }

    /**
     * Where to get a connection: the unit's data source; else a connection the provider lends from
     * its pool (Hibernate's {@code ConnectionProvider}) or opens with its login (EclipseLink); else
     * the unit's JDBC URL and login, where the provider shows them unmasked.
     */
    static Optional<Source> sourceOf(EntityManagerFactory emf) {
        Map<String, Object> properties = emf.getProperties();
        for (String key : DATA_SOURCE_KEYS) {
            Object value = properties.get(key);
            if (value instanceof DataSource dataSource) {
                return Optional.of(dataSource::getConnection);
            }
            if (value instanceof String name && !name.isBlank()) {
                return Optional.of(() -> lookUp(name).getConnection());
            }
        }
        Optional<Source> provider = hibernatePool(emf).or(() -> eclipseLinkLogin(emf));
        if (provider.isPresent()) {
            return provider;
        }
        for (String[] keys : URL_KEYS) {
            if (properties.get(keys[0]) instanceof String url && !url.isBlank()) {
                Properties login = new Properties();
                if (properties.get(keys[1]) instanceof String user) {
                    login.setProperty("user", user);
                }
                if (properties.get(keys[2]) instanceof String password) {
                    login.setProperty("password", password);
                }
                return Optional.of(() -> DriverManager.getConnection(url, login));
            }
        }
        return Optional.empty();
    }

    /** Hibernate: a connection of the unit's own pool, held while the feed lives. */
    private static Optional<Source> hibernatePool(EntityManagerFactory emf) {
        try {
            ClassLoader loader = emf.getClass().getClassLoader();
            Object factory = emf.unwrap(Class.forName("org.hibernate.engine.spi.SessionFactoryImplementor", false,
                    loader));
            Object registry = factory.getClass().getMethod("getServiceRegistry").invoke(factory);
            Class<?> type = Class.forName("org.hibernate.engine.jdbc.connections.spi.ConnectionProvider", false,
                    loader);
            Method getService = registry.getClass().getMethod("getService", Class.class);
            getService.setAccessible(true);
            Object provider = getService.invoke(registry, type);
            if (provider == null) {
                return Optional.empty();
            }
            Method get = type.getMethod("getConnection");
            Method close = type.getMethod("closeConnection", Connection.class);
            return Optional.of(new Source() {
                @Override
                public Connection open() throws SQLException {
                    return (Connection) invoke(get, provider);
                }

                @Override
                public void release(Connection connection) throws SQLException {
                    invoke(close, provider, connection);
                }
            });
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notHibernate) {
            return Optional.empty();
        }
    }

    /** EclipseLink: a new connection made with the unit's login. */
    private static Optional<Source> eclipseLinkLogin(EntityManagerFactory emf) {
        try {
            ClassLoader loader = emf.getClass().getClassLoader();
            Object factory = emf.unwrap(Class.forName("org.eclipse.persistence.jpa.JpaEntityManagerFactory", false,
                    loader));
            Object session = factory.getClass().getMethod("getDatabaseSession").invoke(factory);
            Object login = session.getClass().getMethod("getDatasourceLogin").invoke(session);
            for (Method connect : login.getClass().getMethods()) {
                if (connect.getName().equals("connectToDatasource") && connect.getParameterCount() == 2) {
                    return Optional.of(() -> (Connection) invoke(connect, login, null, session));
                }
            }
            return Optional.empty();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notEclipseLink) {
            return Optional.empty();
        }
    }

    private static Object invoke(Method method, Object target, Object... args) throws SQLException {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new SQLException(e.getCause() == null ? e.toString() : e.getCause().toString(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new SQLException(e.toString(), e);
        }
    }

    private static DataSource lookUp(String name) throws SQLException {
        try {
            return (DataSource) new InitialContext().lookup(name);
        } catch (NamingException | ClassCastException e) {
            throw new SQLException("the data source '" + name + "' could not be looked up: " + e.getMessage(), e);
        }
    }

    private void run() {
        long backOff = 100;
        while (!closed) {
            Connection listening = null;
            try {
                listening = source.open();
                autoCommit = listening.getAutoCommit();
                listening.setAutoCommit(true);
                applicationName = listening.getClientInfo("ApplicationName");
                nameItself(listening, APPLICATION_NAME);
                listening.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
                try (Statement listen = listening.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                Notifications notifications = new Notifications(listening);
                backOff = 100;
                watcher.resumed();
                listen(listening, notifications);
            } catch (SQLException | RuntimeException | ReflectiveOperationException e) {
                if (closed) {
                    return;
                }
                watcher.interrupted("the connection listening for claims on PostgreSQL failed: " + e.getMessage());
                LOG.log(System.Logger.Level.DEBUG, "LISTEN connection failed", e);
                try {
                    TimeUnit.MILLISECONDS.sleep(backOff);
                } catch (InterruptedException stop) {
                    return;
                }
                backOff = Math.min(5000, backOff * 2);
            } finally {
                if (listening != null) {
                    giveBack(listening);
                }
            }
        }
    }

    static void nameItself(Connection listening, String name) {
        try {
            listening.setClientInfo("ApplicationName", name);
        } catch (java.sql.SQLClientInfoException e) {
            LOG.log(System.Logger.Level.DEBUG, "the connection does not take an application name", e);
        }
    }

    private void giveBack(Connection listening) {
        try {
            if (!listening.isClosed()) {
                try (Statement unlisten = listening.createStatement()) {
                    unlisten.execute("UNLISTEN *");
                }
                listening.setNetworkTimeout(Runnable::run, 0);
                listening.setAutoCommit(autoCommit);
                nameItself(listening, applicationName == null ? "" : applicationName);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "UNLISTEN failed", e);
        }
        try {
            source.release(listening);
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "giving the LISTEN connection back failed", e);
        }
    }

    private void listen(Connection listening, Notifications notifications)
            throws SQLException, ReflectiveOperationException {
        long checked = System.nanoTime();
        while (!closed) {
            for (String payload : notifications.await(WAIT_MILLIS)) {
                deliver(payload);
            }
            if (System.nanoTime() - checked > TimeUnit.SECONDS.toNanos(1)) {
                try (Statement ping = listening.createStatement()) {
                    ping.execute("SELECT 1");
                }
                checked = System.nanoTime();
            }
        }
    }

    private void deliver(String payload) {
        int first = payload.indexOf(' ');
        if (first < 0 || !payload.substring(0, first).equals(namespace) || payload.length() < first + 4) {
            return;
        }
        try {
            long token = Long.parseLong(payload.substring(first + 3));
            switch (payload.charAt(first + 1)) {
                case 'G' -> watcher.granted(token);
                case 'E' -> watcher.ended(token);
                case 'Q' -> {
                    if (watcher instanceof QueueWatcher queue) {
                        queue.left(token);
                    }
                }
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            LOG.log(System.Logger.Level.WARNING, "A notification on channel " + CHANNEL + " could not be read: "
                    + payload);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2 * WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code PGConnection.getNotifications(timeout)} of the PostgreSQL driver, called by
     * reflection: the library does not need the driver to compile, and finds it in the
     * connection's own class loader (an application server's driver module).
     */
    private static final class Notifications {
        private final Object pgConnection;
        private final Method getNotifications;
        private final Method getParameter;

        Notifications(Connection connection) throws SQLException, ReflectiveOperationException {
            Class<?> pg = null;
            for (ClassLoader loader : new ClassLoader[] {connection.getClass().getClassLoader(),
                Thread.currentThread().getContextClassLoader(), PostgresFeed.class.getClassLoader()}) {
                Class<?> candidate = loader == null ? null : load(loader, "org.postgresql.PGConnection");
                if (candidate != null && connection.isWrapperFor(candidate)) {
                    pg = candidate;
                    break;
                }
            }
            if (pg == null) {
                throw new ClassNotFoundException("org.postgresql.PGConnection (the PostgreSQL JDBC driver) is not"
                        + " visible, or the connection " + connection.getClass().getName() + " does not wrap one");
            }
            this.pgConnection = connection.unwrap(pg);
            this.getNotifications = pg.getMethod("getNotifications", int.class);
            this.getParameter = Class.forName("org.postgresql.PGNotification", false, pg.getClassLoader())
                    .getMethod("getParameter");
        }

        private static Class<?> load(ClassLoader loader, String name) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError absent) {
                return null;
            }
        }

        /** The payloads that arrived, waiting up to {@code millis} for the first. */
        String[] await(int millis) throws SQLException, ReflectiveOperationException {
            Object[] found;
            try {
                found = (Object[]) getNotifications.invoke(pgConnection, millis);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e;
            }
            if (found == null) {
                return new String[0];
            }
            String[] payloads = new String[found.length];
            for (int i = 0; i < found.length; i++) {
                payloads[i] = (String) getParameter.invoke(found[i]);
            }
            return payloads;
        }
    }
}
