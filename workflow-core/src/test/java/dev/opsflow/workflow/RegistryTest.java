package dev.opsflow.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryTest {
  static final Key<String> NAME = Key.of("name", String.class);
  static final Key<Integer> MEMORY = Key.of("memoryGb", Integer.class);
  static final Key<Boolean> SKIP = Key.of("skipDatabase", Boolean.class);

  final WorkflowEngine engine = WorkflowEngine.builder().build();
  final WorkflowRegistry registry =
      new WorkflowRegistry()
          .register(
              () ->
                  Workflow.builder("create-db")
                      .description("Creates a database")
                      .input(Input.required(NAME).describedAs("database name"))
                      .input(Input.optional(MEMORY, 1))
                      .input(Input.optional(SKIP, false))
                      .step(
                          "create",
                          ctx ->
                              ctx.output(
                                  "summary",
                                  ctx.require(NAME)
                                      + ":"
                                      + ctx.require(MEMORY)
                                      + ":"
                                      + ctx.require(SKIP)))
                      .build());

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void runsAWorkflowByNameWithStringArgumentsConvertedToTheirTypes() {
    WorkflowResult result =
        registry.run(
            engine,
            "create-db",
            Map.of("name", "cache", "memoryGb", "4", "skipDatabase", "yes"),
            RunOptions.defaults());

    assertThat(result.outputs()).containsEntry("summary", "cache:4:true");
  }

  @Test
  void describesEachWorkflowsParameters() {
    var info = registry.describe();

    assertThat(info)
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.name()).isEqualTo("create-db");
              assertThat(w.parameters())
                  .extracting(WorkflowRegistry.ParameterSpec::name)
                  .containsExactly("name", "memoryGb", "skipDatabase");
              assertThat(w.parameters().get(1).defaultValue()).isEqualTo("1");
              assertThat(w.parameters().get(1).expects()).isEqualTo("an integer");
            });
  }

  @Test
  void aBadArgumentIsAClearError() {
    assertThatThrownBy(
            () ->
                registry.run(
                    engine,
                    "create-db",
                    Map.of("name", "cache", "memoryGb", "four"),
                    RunOptions.defaults()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("input 'memoryGb': 'four' is not an integer");
  }

  @Test
  void anUnknownWorkflowNameListsTheRegisteredOnes() {
    assertThatThrownBy(() -> registry.run(engine, "init", Map.of(), RunOptions.defaults()))
        .isInstanceOf(ValidationException.class)
        .hasMessage("unknown workflow 'init': registered are [create-db]");
  }

  @Test
  void aNameCannotBeRegisteredTwice() {
    assertThatThrownBy(
            () ->
                registry.register(() -> Workflow.builder("create-db").step("x", ctx -> {}).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'create-db' is registered already");
  }
}
