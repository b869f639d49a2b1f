package org.mcpplatform.deployment;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which remote servers the platform may connect to on a tenant's behalf (SSRF protection). A remote deployment's URL
 * names a host that anyone with the right to deploy chooses; without this check it could make the platform talk to
 * its own database, a cloud metadata service or the admin interface of a router.
 * <p>
 * The host is resolved and <em>every</em> address it resolves to must be public: loopback, link-local (including the
 * 169.254.169.254 metadata address), private (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), carrier-grade NAT
 * (100.64/10), multicast, broadcast, "this network" (0/8), the benchmark and reserved ranges, and the any-local
 * address are refused. IPv6 addresses that embed an IPv4 address (compatible, mapped, NAT64, 6to4) are judged by it.
 * Configuration ({@code mcp.deployments.allowed-outbound}, comma separated) may allow CIDR ranges or host names, e.g.
 * {@code 127.0.0.0/8} in tests or an intranet range where the platform runs on-premises.
 * <p>
 * Limitation: the HTTP client resolves the host again when it connects, so a name whose DNS answer changes between
 * the check and the connection (DNS rebinding) is not caught here; the transports never follow redirects, so at least
 * the server cannot bounce the platform elsewhere.
 */
public final class OutboundAddresses {

    /** The property holding the allowed CIDRs and hosts. */
    public static final String ALLOWED_PROPERTY = "mcp.deployments.allowed-outbound";

    private static final List<Cidr> FORBIDDEN_V4 = List.of(
            Cidr.parse("0.0.0.0/8"),          // "this network"
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("100.64.0.0/10"),      // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
            Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"),     // link-local, cloud metadata 169.254.169.254
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"),       // IETF protocol assignments (Oracle metadata 192.0.0.192)
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"),      // benchmarking
            Cidr.parse("224.0.0.0/4"),        // multicast
            Cidr.parse("240.0.0.0/4"));       // reserved and broadcast

    private static final List<Cidr> FORBIDDEN_V6 = List.of(
            Cidr.parse("::/128"),
            Cidr.parse("::1/128"),
            Cidr.parse("fc00::/7"),           // unique local (also AWS's fd00:ec2::254)
            Cidr.parse("fe80::/10"),          // link-local
            Cidr.parse("fec0::/10"),          // deprecated site-local
            Cidr.parse("ff00::/8"));          // multicast

    private final List<Cidr> allowedRanges;
    private final List<String> allowedHosts;

    private OutboundAddresses(List<Cidr> allowedRanges, List<String> allowedHosts) {
        this.allowedRanges = List.copyOf(allowedRanges);
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    /** Nothing but public addresses. */
    public static OutboundAddresses publicOnly() {
        return allowing(List.of());
    }

    /** Public addresses plus the given CIDRs ("127.0.0.0/8", "::1/128"), addresses and host names. */
    public static OutboundAddresses allowing(List<String> entries) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.contains("/")) {
                ranges.add(Cidr.parse(entry));
            } else if (isIpLiteral(entry)) {
                ranges.add(Cidr.parse(entry + (entry.contains(":") ? "/128" : "/32")));
            } else {
                hosts.add(entry.toLowerCase(Locale.ROOT));
            }
        }
        return new OutboundAddresses(ranges, hosts);
    }

    /** From the comma-separated property value (null or blank: public addresses only). */
    public static OutboundAddresses fromProperty(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return publicOnly();
        }
        return allowing(Arrays.asList(commaSeparated.split(",")));
    }

    /**
     * Checks a remote server's URL: http or https, a host, and a host whose every address may be reached. Resolves
     * the host (blocking, DNS) but never connects.
     *
     * @return the parsed URL
     * @throws ForbiddenOutboundAddressException when it may not be reached
     */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new ForbiddenOutboundAddressException("The server URL is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ForbiddenOutboundAddressException("The server URL must use http or https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ForbiddenOutboundAddressException("The server URL must not carry credentials");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new ForbiddenOutboundAddressException("The server URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String normalizedHost = host.toLowerCase(Locale.ROOT);
        if (normalizedHost.endsWith(".")) {
            normalizedHost = normalizedHost.substring(0, normalizedHost.length() - 1);
        }
        if (allowedHosts.contains(normalizedHost)) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ForbiddenOutboundAddressException("The server's host name does not resolve: " + host);
        }
        for (InetAddress address : addresses) {
            if (!mayReach(address)) {
                throw new ForbiddenOutboundAddressException("The server's address " + address.getHostAddress()
                        + " is not public; the platform does not connect to it (allow it with " + ALLOWED_PROPERTY + ")");
            }
        }
        return uri;
    }

    /** Whether the platform may connect to this address. */
    public boolean mayReach(InetAddress address) {
        for (Cidr allowed : allowedRanges) {
            if (allowed.contains(address)) {
                return true;
            }
        }
        return isPublic(address);
    }

    private static boolean isPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            return FORBIDDEN_V4.stream().noneMatch(range -> range.contains(address));
        }
        if (FORBIDDEN_V6.stream().anyMatch(range -> range.contains(address))) {
            return false;
        }
        Inet4Address embedded = embeddedIpv4((Inet6Address) address);
        return embedded == null || isPublic(embedded);
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) one. */
    private static Inet4Address embeddedIpv4(Inet6Address address) {
        byte[] b = address.getAddress();
        byte[] v4 = null;
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && ((b[10] == 0 && b[11] == 0) || (b[10] == (byte) 0xff && b[11] == (byte) 0xff))) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        }
        if (v4 == null) {
            return null;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isIpLiteral(String entry) {
        return entry.contains(":") || entry.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /** An address range; parsing a literal never touches DNS. */
    private record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            String address = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!isIpLiteral(address)) {
                throw new IllegalArgumentException("Not an address range: " + cidr);
            }
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(cidr.substring(slash + 1).trim());
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("Bad prefix length in " + cidr);
                }
                return new Cidr(bytes, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("Not an address range: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xff << (8 - remainingBits)) & 0xff;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }

    /** The URL may not be connected to. The message names the reason, never headers or env. */
    public static final class ForbiddenOutboundAddressException extends IllegalArgumentException {
        public ForbiddenOutboundAddressException(String message) {
            super(message);
        }
    }
}
