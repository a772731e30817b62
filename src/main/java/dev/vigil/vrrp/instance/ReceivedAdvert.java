package dev.vigil.vrrp.instance;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One received VRRP packet, as the glue hands it over after decoding: the header fields, what the IP
 * layer said (source, destination, TTL) and the codec's verdict on length and checksum. The instance
 * runs {@link AdvertValidator} on it itself, because two checks depend on its state
 * ({@code skip_check_adv_addr} and the master address).
 *
 * @param source IP source address (the sender's primary address; the tie-break key)
 * @param destination IP destination: the multicast group, or our address for unicast
 * @param ttl IPv4 TTL / IPv6 hop limit, or -1 when the socket did not report it
 * @param version VRRP version nibble
 * @param type VRRP type nibble (1 = ADVERTISEMENT)
 * @param vrid Virtual Rtr ID
 * @param priority 0..255
 * @param addressCount the Count IP Addrs field
 * @param advertInterval v2: Adver Int in seconds; v3: Max Adver Int in centiseconds (12 bits)
 * @param authType v2 Auth Type (0 for v3)
 * @param authData v2: the 8 authentication bytes (empty for v3)
 * @param addresses the addresses carried
 * @param lengthValid the codec found IP total length, received length and the length implied by the count consistent
 * @param checksumValid the codec found the checksum right (v3/IPv4 with the pseudo-header, keepalived.md §1.3)
 */
public record ReceivedAdvert(
        InetAddress source,
        InetAddress destination,
        int ttl,
        int version,
        int type,
        int vrid,
        int priority,
        int addressCount,
        int advertInterval,
        int authType,
        byte[] authData,
        List<InetAddress> addresses,
        boolean lengthValid,
        boolean checksumValid) {

    /** VRRP type 1, the only type (RFC 5798 §5.2.2). */
    public static final int TYPE_ADVERTISEMENT = 1;

    public ReceivedAdvert {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        authData = authData == null ? new byte[0] : authData.clone();
        addresses = List.copyOf(addresses);
    }

    /**
     * A well-formed advert as it arrives on a multicast instance: TTL 255, type 1, no authentication,
     * count = number of addresses, length and checksum right.
     */
    public static ReceivedAdvert wellFormed(InetAddress source, InetAddress destination, int version, int vrid,
                                            int priority, int advertInterval, List<InetAddress> addresses) {
        return new ReceivedAdvert(source, destination, 255, version, TYPE_ADVERTISEMENT, vrid, priority, addresses.size(),
                advertInterval, 0, version == 2 ? new byte[8] : new byte[0], addresses, true, true);
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }

    /** The same advert with another priority. */
    public ReceivedAdvert withPriority(int newPriority) {
        return new ReceivedAdvert(source, destination, ttl, version, type, vrid, newPriority, addressCount, advertInterval,
                authType, authData, addresses, lengthValid, checksumValid);
    }

    /** The same advert from another source. */
    public ReceivedAdvert withSource(InetAddress newSource) {
        return new ReceivedAdvert(newSource, destination, ttl, version, type, vrid, priority, addressCount, advertInterval,
                authType, authData, addresses, lengthValid, checksumValid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedAdvert r
                && source.equals(r.source) && destination.equals(r.destination) && ttl == r.ttl
                && version == r.version && type == r.type && vrid == r.vrid && priority == r.priority
                && addressCount == r.addressCount && advertInterval == r.advertInterval && authType == r.authType
                && Arrays.equals(authData, r.authData) && addresses.equals(r.addresses)
                && lengthValid == r.lengthValid && checksumValid == r.checksumValid;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, destination, ttl, version, type, vrid, priority, addressCount, advertInterval,
                authType, Arrays.hashCode(authData), addresses, lengthValid, checksumValid);
    }

    @Override
    public String toString() {
        // the auth bytes are a password: never print them
        return "ReceivedAdvert[source=" + source.getHostAddress() + ", destination=" + destination.getHostAddress()
                + ", ttl=" + ttl + ", version=" + version + ", type=" + type + ", vrid=" + vrid + ", priority=" + priority
                + ", addressCount=" + addressCount + ", advertInterval=" + advertInterval + ", authType=" + authType
                + ", addresses=" + addresses + ", lengthValid=" + lengthValid + ", checksumValid=" + checksumValid + "]";
    }
}
