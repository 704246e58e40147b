package dev.opsflow.redis.enterprise.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of {@code GET /v1/cluster} Opsflow reads; the rest of the 100+ fields are ignored.
 * Immutable.
 *
 * @param name the cluster's name (FQDN)
 * @param createdTime when it was created, or null
 * @param defaultRedisVersion {@code default_provisioned_redis_version}, or null
 * @param rackAware whether the cluster is rack-aware, or null
 * @param emailAlerts whether email alerts are on, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterInfo(
    @JsonProperty("name") String name,
    @JsonProperty("created_time") String createdTime,
    @JsonProperty("default_provisioned_redis_version") String defaultRedisVersion,
    @JsonProperty("rack_aware") Boolean rackAware,
    @JsonProperty("email_alerts") Boolean emailAlerts) {}
