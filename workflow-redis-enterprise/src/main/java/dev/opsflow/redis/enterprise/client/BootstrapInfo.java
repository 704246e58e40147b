package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * The answer of {@code GET /v1/bootstrap}: the bootstrap status (nested, not top-level) and what
 * the node knows about itself. Immutable.
 *
 * @param status the {@code bootstrap_status} object
 * @param localNodeInfo the {@code local_node_info} object as a tree (addresses, paths, memory)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BootstrapInfo(
    @JsonProperty("bootstrap_status") BootstrapStatus status,
    @JsonProperty("local_node_info") JsonNode localNodeInfo) {

  /** {@return the state, or {@code "unknown"} when the answer had no {@code bootstrap_status}} */
  public String state() {
    return status == null || status.state() == null ? "unknown" : status.state();
  }
}
