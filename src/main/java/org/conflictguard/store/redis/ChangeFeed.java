package org.conflictguard.store.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.conflictguard.spi.ClaimWatcher;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.StatusListener;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.connection.ConnectionListener;

/**
 * Delivers what the script publishes on {@code {namespace}:changes} to a {@link ClaimWatcher}:
 * grants and ends. Messages published while the subscription is down are lost, so the feed says
 * when it cannot vouch for it, and when it can again:
 *
 * <ul>
 *   <li>a lost connection to Redis interrupts the feed at once, where the client tells it (a
 *       {@link Redisson} client does: its connection events);
 *   <li>the feed publishes a message of its own ({@code "P <feed> <n>"}) now and then, and when
 *       the subscription is made again; the feed is live once such a message came back, and is
 *       interrupted when one does not come back within {@link #echoMillis} (which bounds how long a
 *       silently dead subscription goes unnoticed where the client tells nothing).
 * </ul>
 *
 * Thread-safe.
 */
final class ChangeFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisClaimStore.class.getName());
    /** How often the subscription is checked where lost connections are told at once. */
    static final long ECHO_MILLIS_WITH_EVENTS = 1000;
    /** How often it is checked where they are not: a dead subscription is noticed within twice this. */
    static final long ECHO_MILLIS_WITHOUT_EVENTS = 200;

    private final RTopic topic;
    private final ClaimWatcher watcher;
    private final String feedId = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    private final long echoMillis;
    private final ScheduledExecutorService beats;
    private final Object lock = new Object();
    private int messageListener = -1;
    private int statusListener = -1;
    private int connectionListener = -1;
    private final Redisson events;

    /** The last echo sent, when (nanoTime), and whether a loss came after it. */
    private long echoSent;
    private long echoSentAt;
    private boolean lostSinceEcho = true;
    private boolean awaitingEcho;
    private boolean live;
    private boolean closed;

    private ChangeFeed(RedissonClient client, String prefix, ClaimWatcher watcher) {
        this.topic = changes(client, prefix);
        this.watcher = watcher;
        this.events = client instanceof Redisson redisson ? redisson : null;
        this.echoMillis = events != null ? ECHO_MILLIS_WITH_EVENTS : ECHO_MILLIS_WITHOUT_EVENTS;
        this.beats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "conflictguard-changes");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Subscribes and starts checking the subscription; the watcher is told {@code resumed()} once
     * the first check came back.
     *
     * @throws org.redisson.client.RedisException if Redis cannot be reached to subscribe
     */
    static ChangeFeed start(RedissonClient client, String prefix, ClaimWatcher watcher) {
        ChangeFeed feed = new ChangeFeed(client, prefix, watcher);
        feed.subscribe();
        return feed;
    }

    /** The channel the script publishes changes on. */
    static RTopic changes(RedissonClient client, String prefix) {
        return client.getTopic(prefix + ":changes", ByteArrayCodec.INSTANCE);
    }

    private void subscribe() {
        if (events != null) {
            connectionListener = events.getServiceManager().getConnectionEventsHub().addListener(new ConnectionListener() {
                @Override
                public void onConnect(java.net.InetSocketAddress address) {
                    beats.execute(ChangeFeed.this::echo);
                }

                @Override
                public void onDisconnect(java.net.InetSocketAddress address) {
                    lost("the connection to Redis at " + address + " was lost");
                }
            });
        }
        messageListener = topic.addListener(byte[].class, (channel, message) -> deliver(message));
        statusListener = topic.addListener(new StatusListener() {
            @Override
            public void onSubscribe(String channel) {
                // Made again after a reconnection: what was published meanwhile is lost.
                lost("the subscription to " + channel + " was made again");
                beats.execute(ChangeFeed.this::echo);
            }

            @Override
            public void onUnsubscribe(String channel) {
                lost("the subscription to " + channel + " ended");
            }
        });
        beats.scheduleWithFixedDelay(this::beat, 0, echoMillis, TimeUnit.MILLISECONDS);
    }

    private void deliver(byte[] message) {
        if (message.length < 3) {
            return;
        }
        try {
            String body = new String(message, 2, message.length - 2, StandardCharsets.UTF_8);
            switch (message[0]) {
                case 'G' -> watcher.granted(Long.parseLong(body));
                case 'E' -> watcher.ended(Long.parseLong(body));
                case 'P' -> echoed(body);
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A change message of the claim store could not be read", e);
            lost("a change message could not be read");
        }
    }

    /** Checks the subscription: an echo that did not come back in time interrupts the feed. */
    private void beat() {
        boolean overdue;
        synchronized (lock) {
            overdue = awaitingEcho && System.nanoTime() - echoSentAt > TimeUnit.MILLISECONDS.toNanos(echoMillis);
        }
        if (overdue) {
            lost("a message published on the change channel did not come back within " + echoMillis + " ms");
        }
        echo();
    }

    private void echo() {
        long n;
        synchronized (lock) {
            if (closed || awaitingEcho && !lostSinceEcho) {
                return;
            }
            n = ++echoSent;
            echoSentAt = System.nanoTime();
            awaitingEcho = true;
            lostSinceEcho = false;
        }
        topic.publishAsync(("P " + feedId + " " + n).getBytes(StandardCharsets.UTF_8));
    }

    private void echoed(String body) {
        int space = body.indexOf(' ');
        if (space < 0 || !body.substring(0, space).equals(feedId)) {
            return;
        }
        long n = Long.parseLong(body.substring(space + 1));
        boolean resumed;
        synchronized (lock) {
            if (n != echoSent || lostSinceEcho || closed) {
                return;
            }
            awaitingEcho = false;
            resumed = !live;
            live = true;
        }
        if (resumed) {
            watcher.resumed();
        }
    }

    private void lost(String why) {
        boolean interrupted;
        synchronized (lock) {
            lostSinceEcho = true;
            interrupted = live && !closed;
            live = false;
        }
        if (interrupted) {
            watcher.interrupted(why);
        }
    }

    /** Stops delivering, without waiting for Redis to confirm. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        beats.shutdownNow();
        if (events != null && connectionListener >= 0) {
            events.getServiceManager().getConnectionEventsHub().removeListener(connectionListener);
        }
        topic.removeListenerAsync(messageListener, statusListener);
    }
}
