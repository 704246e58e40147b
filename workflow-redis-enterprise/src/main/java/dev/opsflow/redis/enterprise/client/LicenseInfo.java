package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /v1/license}, without the license text itself. Immutable.
 *
 * @param expired whether the license has expired
 * @param activationDate when it was activated
 * @param expirationDate when it expires
 * @param owner its owner
 * @param clusterName the cluster name it was issued for
 * @param shardsLimit how many shards it allows, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LicenseInfo(
    @JsonProperty("expired") boolean expired,
    @JsonProperty("activation_date") String activationDate,
    @JsonProperty("expiration_date") String expirationDate,
    @JsonProperty("owner") String owner,
    @JsonProperty("cluster_name") String clusterName,
    @JsonProperty("shards_limit") Integer shardsLimit) {}
