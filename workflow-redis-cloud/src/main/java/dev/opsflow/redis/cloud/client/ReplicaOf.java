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

  /**
   * Keeps an unmodifiable copy of the addresses.
   *
   * @param sourceAddresses {@code host:port} of each source, in order; not null, no null element
   */
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

  /**
   * The address of a source endpoint, without its user and password.
   *
   * @param uri a {@code redis://} or {@code rediss://} URI, {@code [user:password@]host:port} with
   *     an optional trailing slash; not null
   * @return its {@code host:port}, or null when {@code uri} is not of that form
   */
  public static String address(String uri) {
    var m = URI.matcher(uri.strip());
    return m.matches() ? m.group(1) : null;
  }

  /**
   * Whether the database syncs from a source.
   *
   * @param address the source's {@code host:port}
   * @return whether {@code address} is among the sources
   */
  public boolean hasSource(String address) {
    return sourceAddresses.contains(address);
  }
}
