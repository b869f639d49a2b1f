package org.mcpplatform.ratelimit;

import jakarta.servlet.http.HttpServletRequest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The client address a per-IP budget is keyed by. It is {@link HttpServletRequest#getRemoteAddr()}: the TCP peer,
 * or the first untrusted X-Forwarded-For hop when the operator has configured forward-header handling for the
 * proxies in front of the platform ({@code server.forward-headers-strategy}); a client cannot pick its own key by
 * sending the header to a platform that does not trust it.
 * <p>
 * IPv6 clients are keyed by their /64 network: one subscriber usually holds a whole /64, and would otherwise get a
 * fresh budget from every one of its 2^64 addresses.
 */
public final class ClientAddress {

    /** Hex digits, colons and dots only, starting like a number: {@link InetAddress} parses it and never asks DNS. */
    private static final Pattern IPV6_LITERAL =
            Pattern.compile("^[0-9A-Fa-f:][0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z_.-]+)?$");

    private ClientAddress() {
    }

    public static String of(HttpServletRequest request) {
        return key(request.getRemoteAddr());
    }

    /** The budget key for an address as a request reports it. */
    public static String key(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (!IPV6_LITERAL.matcher(address).matches()) {
            return address;
        }
        try {
            InetAddress parsed = InetAddress.getByName(address);
            if (!(parsed instanceof Inet6Address)) {
                return parsed.getHostAddress();
            }
            byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            return InetAddress.getByAddress(network).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
