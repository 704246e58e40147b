package dev.opsflow.redis.cloud.client;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A region of an Active-Active subscription ({@code GET /subscriptions/{id}/regions}). Immutable.
 *
 * @param regionId its id
 * @param region the cloud region
 * @param deploymentCidr its deployment CIDR
 * @param vpcId its VPC
 */
public record ActiveActiveRegion(
    Long regionId,
    String region,
    @JsonProperty("deploymentCIDR") String deploymentCidr,
    String vpcId) {}
