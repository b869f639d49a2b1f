package org.mcpplatform.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a test service (Redis, RabbitMQ) that a test can break the way networks break, to see the
 * platform survive the service going away (seed Property 32; live events while RabbitMQ is down):
 * <ul>
 *     <li>{@link #cut()}: every connection is closed and new ones are closed as soon as they open (Redis process
 *     gone; the proxy keeps its port, which another socket could otherwise take while it is free);</li>
 *     <li>{@link #hang()}: connections stay open but nothing passes either way, and new connections are accepted
 *     and then stall too (a partition, or a Redis stuck in a long command): the client only notices by timing
 *     out, which is the nastier case;</li>
 *     <li>{@link #restore()}: traffic flows again; bytes held back while hanging are delivered in order, as TCP
 *     would after a partition heals.</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {

    private enum Mode { FORWARD, HANG, CUT }

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object modeLock = new Object();
    private volatile Mode mode = Mode.FORWARD;
    private final ServerSocket server;
    private volatile boolean closed;

    private final URI serviceUrl;

    /** A proxy in front of the service at {@code serviceUrl} (its port, or {@code defaultPort} when it names none). */
    public TcpProxy(String serviceUrl, int defaultPort) {
        this.serviceUrl = URI.create(serviceUrl);
        this.target = new InetSocketAddress(this.serviceUrl.getHost(),
                                            this.serviceUrl.getPort() < 0 ? defaultPort : this.serviceUrl.getPort());
        this.server = listen(0);
        this.port = server.getLocalPort();
        startAccepting(server);
    }

    /** The service's URL with the proxy's port: what the platform should use instead (same credentials). */
    public String url() {
        URI u = serviceUrl;
        try {
            return new URI(u.getScheme(), u.getUserInfo(), "127.0.0.1", port, u.getPath(), u.getQuery(),
                           u.getFragment()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public void cut() {
        synchronized (modeLock) {
            mode = Mode.CUT;
            sockets.forEach(TcpProxy::closeQuietly);
            sockets.clear();
            modeLock.notifyAll();
        }
    }

    public void hang() {
        synchronized (modeLock) {
            mode = Mode.HANG;
        }
    }

    public void restore() {
        synchronized (modeLock) {
            mode = Mode.FORWARD;
            modeLock.notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        cut();
        closeQuietly(server);
    }

    private ServerSocket listen(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + onPort, e);
        }
    }

    private void startAccepting(ServerSocket listening) {
        Thread acceptor = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    if (mode == Mode.CUT) {
                        closeQuietly(client);
                        continue;
                    }
                    Socket upstream = new Socket();
                    upstream.connect(target, 1000);
                    client.setTcpNoDelay(true);
                    upstream.setTcpNoDelay(true);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream, "tcp-proxy-up");
                    pump(upstream, client, "tcp-proxy-down");
                } catch (IOException e) {
                    if (!listening.isClosed()) {
                        // one failed connection (Redis refusing, say) must not stop the proxy
                        continue;
                    }
                }
            }
        }, "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Copies bytes from one socket to the other, holding them back while hanging. */
    private void pump(Socket from, Socket to, String name) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    awaitTraffic();
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    // a read that began before a hang must not slip through either
                    awaitTraffic();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the connection was cut or closed by one side: close the other
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitTraffic() throws InterruptedException, SocketException {
        synchronized (modeLock) {
            while (mode == Mode.HANG && !closed) {
                modeLock.wait();
            }
            if (mode == Mode.CUT) {
                throw new SocketException("cut");
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
