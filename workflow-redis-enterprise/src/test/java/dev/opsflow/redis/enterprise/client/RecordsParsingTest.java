package dev.opsflow.redis.enterprise.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsflow.workflow.Json;
import org.junit.jupiter.api.Test;

class RecordsParsingTest {

  @Test
  void databaseIgnoresUnknownFieldsAndHidesItsPassword() {
    String json =
        """
        {"uid": 3, "name": "cache", "status": "active", "memory_size": 1073741824,
         "type": "redis", "version": "7.4.0", "port": 12000, "shards_count": 1,
         "eviction_policy": "volatile-lru", "backup": false, "crdt": false,
         "module_list": [], "sync_sources": [], "tls_mode": "enabled",
         "authentication_redis_pass": "clear-text-pass",
         "endpoints": [{"uid": "3:1", "dns_name": "redis-12000.c.local", "port": 12000,
           "addr": ["10.0.0.5"], "addr_type": "external", "proxy_policy": "single",
           "oss_cluster_api_preferred_ip_type": "internal"}]}
        """;
    Database db = Json.mapper().readValue(json, Database.class);
    assertThat(db.uid()).isEqualTo(3);
    assertThat(db.requiresTls()).isTrue();
    assertThat(db.primaryEndpoint().orElseThrow().hosts())
        .containsExactly("redis-12000.c.local", "10.0.0.5");
    assertThat(db.passwordIfSet().orElseThrow().reveal()).isEqualTo("clear-text-pass");
    assertThat(db.toString()).doesNotContain("clear-text-pass");
    assertThat(Json.mapper().writeValueAsString(db)).doesNotContain("clear-text-pass");
  }

  @Test
  void actionReadsLooseWireTypes() {
    Action action =
        Json.mapper()
            .readValue(
                """
        {"action_uid": 42, "status": "aborted", "progress": 37.5, "node_uid": 1,
         "error_code": "shard_failure", "description": "shard died", "pending_ops": {}}
        """,
                Action.class);
    assertThat(action.uid()).isEqualTo("42");
    assertThat(action.nodeUid()).isEqualTo("1");
    assertThat(action.progressPercent()).isEqualTo(38);
    assertThat(action.isTerminal()).isTrue();
    assertThat(action.isUnsuccessful()).isTrue();
    assertThat(action.describe())
        .contains("aborted")
        .contains("shard_failure")
        .contains("shard died");
  }

  @Test
  void everyTerminalActionStatusIsTerminal() {
    for (String status : new String[] {"completed", "failed", "cancelled", "aborted"}) {
      assertThat(new Action("1", null, status, "100", null, null, null, null, null).isTerminal())
          .as(status)
          .isTrue();
    }
    for (String status : new String[] {"queued", "starting", "running", "cancelling"}) {
      assertThat(new Action("1", null, status, "5", null, null, null, null, null).isTerminal())
          .as(status)
          .isFalse();
    }
  }

  @Test
  void bootstrapStateIsNestedAndMiddleStatesAreInProgress() {
    BootstrapInfo info =
        Json.mapper()
            .readValue(
                """
        {"bootstrap_status": {"state": "joining_cluster", "start_time": "2024-01-01T00:00:00Z"},
         "local_node_info": {"uid": "1", "cores": 4}}
        """,
                BootstrapInfo.class);
    assertThat(info.state()).isEqualTo("joining_cluster");
    assertThat(info.status().isInProgress()).isTrue();
    assertThat(info.status().canStart()).isFalse();
    BootstrapStatus error =
        Json.mapper()
            .readValue(
                """
        {"state": "error", "error_code": "time_not_sync",
         "error_details": {"message": "clock skew 40s"}}
        """,
                BootstrapStatus.class);
    assertThat(error.canStart()).isTrue();
    assertThat(error.describe()).isEqualTo("error [time_not_sync]: clock skew 40s");
  }

  @Test
  void nodeVersionsAreReadAsStringsOrObjects() {
    NodeInfo node =
        Json.mapper()
            .readValue(
                """
        {"uid": 1, "supported_database_versions": ["6.2.14", {"db_type": "redis", "version": "7.4.2"}]}
        """,
                NodeInfo.class);
    assertThat(node.uid()).isEqualTo("1");
    assertThat(node.redisVersions()).containsExactly("6.2.14", "7.4.2");
  }
}
