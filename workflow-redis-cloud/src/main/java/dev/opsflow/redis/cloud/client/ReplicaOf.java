package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A database's Replica Of sources ({@code replica.syncSources} of the API's answer): only their
 * {@code host:port}, since an endpoint URI may carry a password ({@code
 * redis://user:password@host:port}), which this record never keeps. Immutable.
 *
 * @param sourceAddresses {@code host:port} of each source, in order
 */
public record ReplicaOf(List<String> sourceAddresses) {
  private static final Pattern URI =
      Pattern.compile("rediss?://(?:[^@/]*@)?([^@/:]+:\\d{1,5})/?", Pattern.CASE_INSENSITIVE);

  /** No sources. */
  public static final ReplicaOf NONE = new ReplicaOf(List.of());

  /** A copy of the addresses. */
  public ReplicaOf {
    sourceAddresses = List.copyOf(sourceAddresses);
  }

  /** Reads {@code {"syncSources": [{"endpoint": "redis://...", ...}]}}. */
  @JsonCreator
  static ReplicaOf fromApi(@JsonProperty("syncSources") List<JsonNode> syncSources) {
    var out = new ArrayList<String>();
    if (syncSources != null) {
      for (JsonNode source : syncSources) {
        String endpoint = source == null ? null : source.path("endpoint").asString(null);
        String address = endpoint == null ? null : address(endpoint);
        if (address != null) {
          out.add(address);
        }
      }
    }
    return new ReplicaOf(out);
  }

  /** {@code host:port} of a {@code redis://[user:password@]host:port} URI, or null. */
  public static String address(String uri) {
    var m = URI.matcher(uri.strip());
    return m.matches() ? m.group(1) : null;
  }

  /** Whether {@code address} ({@code host:port}) is among the sources. */
  public boolean hasSource(String address) {
    return sourceAddresses.contains(address);
  }
}
