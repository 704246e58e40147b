package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One entry of {@code GET /v1/nodes}. Node uids are integers in some versions and strings in
 * others: both are read. Immutable.
 *
 * @param uid the node's id
 * @param address its internal address
 * @param status {@code active}, {@code provisioning}, {@code down}, ...
 * @param softwareVersion the Redis Software version it runs
 * @param totalMemory its memory in bytes, or null
 * @param supportedDatabaseVersions the raw {@code supported_database_versions} (strings or objects
 *     with {@code version}), or null
 * @param shardCount how many shards it holds, or null
 * @param acceptServers whether it takes new shards (false in maintenance mode), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(
    @JsonProperty("uid") String uid,
    @JsonProperty("addr") String address,
    @JsonProperty("status") String status,
    @JsonProperty("software_version") String softwareVersion,
    @JsonProperty("total_memory") Long totalMemory,
    @JsonProperty("supported_database_versions") JsonNode supportedDatabaseVersions,
    @JsonProperty("shard_count") Integer shardCount,
    @JsonProperty("accept_servers") Boolean acceptServers) {

  /** {@return whether the node is up and part of the cluster} */
  public boolean isActive() {
    return "active".equals(status);
  }

  /**
   * {@return its Redis versions as MAJOR.MINOR ({@code 7.4.0} and {@code 7.4} both give {@code
   * 7.4})}
   */
  public List<String> redisMajorMinors() {
    return redisVersions().stream().map(v -> v.replaceAll("^(\\d+\\.\\d+).*$", "$1")).toList();
  }

  /** {@return the Redis versions this node can run, whichever shape the answer used} */
  public List<String> redisVersions() {
    var out = new ArrayList<String>();
    if (supportedDatabaseVersions != null && supportedDatabaseVersions.isArray()) {
      for (JsonNode entry : supportedDatabaseVersions) {
        if (entry.isString()) {
          out.add(entry.asString());
        } else if (entry.has("version")) {
          out.add(entry.get("version").asString());
        }
      }
    }
    return out;
  }
}
