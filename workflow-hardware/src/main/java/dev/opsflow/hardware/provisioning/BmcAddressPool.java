package dev.opsflow.hardware.provisioning;

import dev.opsflow.workflow.ValidationException;
import dev.opsflow.workflow.spi.Reservations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out the BMC addresses of a range, durably: each address given to a server is a reservation
 * in the engine's store ({@link Reservations}, pool {@value #POOL}, keyed by system id), so a batch
 * resumed after a crash gets the same addresses back, and two batches at once, in one JVM or
 * several on one file store or database, never hand out one address.
 *
 * <p>An address is skipped, with its reason reported per server, when it is the subnet's network or
 * broadcast address or the gateway, when another server holds it, when it is in use elsewhere (MAAS
 * knows it on another machine, or it is another server's current BMC address: given by the caller)
 * or when it answers on the network (the {@link Probe}); the next free one is taken. Thread-safe.
 */
public final class BmcAddressPool {
  /** The reservation pool every range shares: an address is one resource, whatever the range. */
  public static final String POOL = "opsflow.bmc-addresses";

  /** Tells whether an address answers on the network. Must be bounded in time. */
  @FunctionalInterface
  public interface Probe {
    /**
     * Why {@code address} is taken (such as {@code answers on TCP 443}), or empty when silent.
     *
     * @param address a candidate address
     * @return why it is taken, or empty
     */
    Optional<String> answers(String address);

    /** {@return no probe: only reservations and the caller's in-use list count} */
    static Probe none() {
      return address -> Optional.empty();
    }

    /**
     * A TCP connect to each of {@code ports} (a BMC's HTTPS 443 and SSH 22) with {@code timeout}
     * each: an address that accepts a connection is taken.
     *
     * @param ports the TCP ports to try
     * @param timeout the time limit of each connect
     * @return the probe
     */
    static Probe tcp(List<Integer> ports, Duration timeout) {
      List<Integer> checked = List.copyOf(ports);
      int millis = Math.toIntExact(timeout.toMillis());
      return address -> {
        for (int port : checked) {
          try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), millis);
            return Optional.of("answers on TCP " + port);
          } catch (IOException silent) {
            // Refused or timed out: nothing there on this port.
          }
        }
        return Optional.empty();
      };
    }
  }

  /**
   * One server's address.
   *
   * @param systemId the server
   * @param address its BMC address
   * @param kept whether it held the address already (a resumed batch)
   * @param skipped the addresses passed over before it, each with its reason
   */
  public record Assignment(String systemId, String address, boolean kept, List<String> skipped) {
    /**
     * Copies the list.
     *
     * @param systemId the server
     * @param address its BMC address
     * @param kept whether it held the address already (a resumed batch)
     * @param skipped the addresses passed over before it, each with its reason
     */
    public Assignment {
      skipped = List.copyOf(skipped);
    }
  }

  private final IpmiAddressPool range;
  private final String gateway;
  private final String netmask;
  private final Reservations reservations;
  private final Probe probe;

  private BmcAddressPool(
      IpmiAddressPool range,
      String gateway,
      String netmask,
      Reservations reservations,
      Probe probe) {
    this.range = range;
    this.gateway = gateway;
    this.netmask = netmask;
    this.reservations = reservations;
    this.probe = probe;
  }

  /**
   * A pool over {@code ipmiRange} in the subnet of {@code gateway}/{@code netmask}.
   *
   * @param ipmiRange the addresses to hand out
   * @param gateway the subnet's gateway
   * @param netmask the subnet's netmask
   * @param reservations where the addresses are reserved
   * @return the pool
   * @throws ValidationException for a bad range, gateway or netmask
   */
  public static BmcAddressPool of(
      String ipmiRange, String gateway, String netmask, Reservations reservations) {
    Objects.requireNonNull(reservations, "reservations must not be null");
    var problems = new ArrayList<String>();
    IpmiAddressPool range = null;
    try {
      range = IpmiAddressPool.parse(ipmiRange);
    } catch (ValidationException e) {
      problems.addAll(e.problems());
    }
    if (!Ipv4.isHost(gateway)) {
      problems.add("gateway '" + gateway + "' is not a host IPv4 address such as 192.168.1.1");
    }
    if (!Ipv4.isNetmask(netmask)) {
      problems.add("netmask '" + netmask + "' is not an IPv4 netmask such as 255.255.255.0");
    }
    if (problems.isEmpty()) {
      long mask = Ipv4.toLong(netmask);
      long net = Ipv4.toLong(gateway) & mask;
      for (String a : range.addresses()) {
        if ((Ipv4.toLong(a) & mask) != net) {
          problems.add(
              "address "
                  + a
                  + " of ipmiRange '"
                  + ipmiRange
                  + "' is not in the subnet of gateway "
                  + gateway
                  + "/"
                  + netmask);
          break;
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ValidationException(problems);
    }
    return new BmcAddressPool(range, gateway, netmask, reservations, Probe.none());
  }

  /**
   * A copy that probes each candidate address with {@code value} before taking it.
   *
   * @param value the probe of each candidate address
   * @return the copy
   */
  public BmcAddressPool withProbe(Probe value) {
    return new BmcAddressPool(
        range, gateway, netmask, reservations, Objects.requireNonNull(value, "probe"));
  }

  /** {@return how many addresses the range has} */
  public int size() {
    return range.size();
  }

  /**
   * The address {@code systemId} holds in this range, if any.
   *
   * @param systemId the machine's MAAS system id
   * @return its address, or empty
   */
  public Optional<String> addressOf(String systemId) {
    Set<String> mine = new HashSet<>(range.addresses());
    return reservations.list(POOL).entrySet().stream()
        .filter(e -> e.getValue().equals(systemId) && mine.contains(e.getKey()))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /**
   * The address of {@code systemId}: the one it holds already, else the first free one, reserved
   * for it.
   *
   * @param systemId the machine's MAAS system id
   * @param inUse addresses in use elsewhere, each with why (another MAAS machine's, another
   *     server's current BMC address)
   * @return the address reserved for it
   * @throws ValidationException when no address of the range is free, with every skip's reason
   */
  public Assignment assign(String systemId, Map<String, String> inUse) {
    Optional<String> held = addressOf(systemId);
    if (held.isPresent()) {
      return new Assignment(systemId, held.get(), true, List.of());
    }
    long mask = Ipv4.toLong(netmask);
    long network = Ipv4.toLong(gateway) & mask;
    long broadcast = network | (~mask & 0xffffffffL);
    var skipped = new ArrayList<String>();
    Map<String, String> holders = reservations.list(POOL);
    for (String address : range.addresses()) {
      long n = Ipv4.toLong(address);
      String why =
          n == network
              ? "the subnet's network address"
              : n == broadcast
                  ? "the subnet's broadcast address"
                  : address.equals(gateway)
                      ? "the gateway"
                      : holders.containsKey(address)
                          ? "reserved for " + holders.get(address)
                          : inUse.get(address);
      if (why == null) {
        why = probe.answers(address).orElse(null);
      }
      if (why == null) {
        String holder = reservations.reserve(POOL, address, systemId);
        if (holder.equals(systemId)) {
          return new Assignment(systemId, address, false, skipped);
        }
        why = "reserved for " + holder;
      }
      skipped.add(address + ": " + why);
    }
    throw new ValidationException(
        "ipmiRange '"
            + range.range()
            + "' has no free address for server '"
            + systemId
            + "': "
            + String.join("; ", skipped));
  }

  /**
   * Releases the address {@code systemId} holds in this range; whether it held one.
   *
   * @param systemId the machine's MAAS system id
   * @return true when it held an address
   */
  public boolean release(String systemId) {
    return addressOf(systemId).map(a -> reservations.release(POOL, a, systemId)).orElse(false);
  }
}
