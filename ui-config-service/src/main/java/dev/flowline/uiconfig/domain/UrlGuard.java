package dev.flowline.uiconfig.domain;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * Where a data source may send the server (SSRF guard): http or https only; a host on the allow-list; and none of
 * the addresses it resolves to private, loopback, link-local, unique-local, any-local or multicast, unless the host
 * is also on the list of private hosts allowed (an internal service). Redirects are never followed (the client is
 * built so), so an allowed host cannot hand the request on. The address is checked when the request is made; a
 * name that resolves differently a moment later (DNS rebinding) is the limit of this guard.
 */
public final class UrlGuard {

    private final Set<String> allowedHosts;
    private final Set<String> privateHostsAllowed;

    public UrlGuard(Set<String> allowedHosts, Set<String> privateHostsAllowed) {
        this.allowedHosts = lower(allowedHosts);
        this.privateHostsAllowed = lower(privateHostsAllowed);
    }

    /** Why the server must not call {@code uri}; null when it may. */
    public String refusal(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs are allowed, not " + (scheme.isEmpty() ? "a relative URL" : scheme);
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (uri.getUserInfo() != null) {
            return "a data source URL carries no credentials (name a credential instead)";
        }
        if (!allowedHosts.contains(host)) {
            return "the host " + (host.isEmpty() ? "(none)" : host) + " is not on the data sources' allow-list "
                    + "(flowline.ui.data-sources.allowed-hosts)";
        }
        if (privateHostsAllowed.contains(host)) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (internal(address)) {
                    return "the host " + host + " resolves to the internal address " + address.getHostAddress()
                            + ", which is refused unless the host is in flowline.ui.data-sources.private-hosts";
                }
            }
        } catch (UnknownHostException e) {
            return "the host " + host + " does not resolve";
        }
        return null;
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        // IPv6 unique local addresses (fc00::/7), which isSiteLocalAddress does not cover.
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static Set<String> lower(Set<String> hosts) {
        return hosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).collect(
                java.util.stream.Collectors.toUnmodifiableSet());
    }
}
