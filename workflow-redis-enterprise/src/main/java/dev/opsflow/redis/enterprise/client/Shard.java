package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code GET /v1/shards}. Immutable.
 *
 * @param uid the shard's id (a string on the wire)
 * @param bdbUid the database it belongs to
 * @param nodeUid the node it lives on
 * @param role {@code master} or {@code slave}
 * @param status {@code active}, {@code inactive} or {@code trimming}
 * @param detailedStatus {@code ok}, {@code busy}, {@code down}, {@code loading}, ...
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Shard(
    @JsonProperty("uid") String uid,
    @JsonProperty("bdb_uid") int bdbUid,
    @JsonProperty("node_uid") String nodeUid,
    @JsonProperty("role") String role,
    @JsonProperty("status") String status,
    @JsonProperty("detailed_status") String detailedStatus) {

  /** {@return whether the shard serves: {@code active} and, when reported, {@code ok}} */
  public boolean isHealthy() {
    return "active".equals(status) && (detailedStatus == null || "ok".equals(detailedStatus));
  }
}
