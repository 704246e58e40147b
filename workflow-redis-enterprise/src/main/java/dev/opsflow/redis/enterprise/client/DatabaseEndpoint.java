package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One entry of a database's {@code endpoints}. Immutable.
 *
 * @param uid the endpoint's id
 * @param dnsName its DNS name (it may not resolve outside the cluster's DNS)
 * @param port its port
 * @param addresses its IP addresses
 * @param addressType {@code internal} or {@code external}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatabaseEndpoint(
    @JsonProperty("uid") String uid,
    @JsonProperty("dns_name") String dnsName,
    @JsonProperty("port") int port,
    @JsonProperty("addr") List<String> addresses,
    @JsonProperty("addr_type") String addressType) {

  /**
   * Copies the addresses (null becomes empty), so the record is immutable.
   *
   * @param uid the endpoint's id
   * @param dnsName its DNS name (it may not resolve outside the cluster's DNS)
   * @param port its port
   * @param addresses its IP addresses
   * @param addressType {@code internal} or {@code external}
   */
  public DatabaseEndpoint {
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
  }

  /** {@return the hosts to try in order: the DNS name, then each address} */
  public List<String> hosts() {
    var hosts = new java.util.ArrayList<String>();
    if (dnsName != null && !dnsName.isBlank()) {
      hosts.add(dnsName);
    }
    hosts.addAll(addresses);
    return hosts;
  }

  /** {@return {@code dns_name:port}, else {@code addr[0]:port}} */
  public String display() {
    return (hosts().isEmpty() ? "?" : hosts().get(0)) + ":" + port;
  }
}
