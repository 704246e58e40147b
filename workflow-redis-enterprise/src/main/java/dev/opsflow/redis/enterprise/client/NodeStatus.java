package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One node's entry of {@code GET /v1/nodes/status} (an object keyed by node uid): its host name,
 * its role in the cluster ({@code master} for the primary node, {@code slave} otherwise) and its
 * status. Available since Redis Software 6.2.18. Immutable.
 *
 * @param hostname the node's host name
 * @param role {@code master} (the cluster's primary node) or {@code slave}
 * @param nodeStatus {@code active}, {@code down}, ...; null when not reported
 * @param softwareVersion the Redis Software version it runs; null when not reported
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStatus(
    @JsonProperty("hostname") String hostname,
    @JsonProperty("role") String role,
    @JsonProperty("node_status") String nodeStatus,
    @JsonProperty("software_version") String softwareVersion) {

  /** {@return whether this is the cluster's primary node (its role is {@code master})} */
  public boolean isPrimary() {
    return "master".equals(role);
  }
}
