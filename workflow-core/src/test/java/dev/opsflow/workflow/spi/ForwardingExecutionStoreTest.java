package dev.opsflow.workflow.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A forwarding store passes every method of {@link ExecutionStore} to its delegate, the default
 * methods included, with the same arguments, and gives back what the delegate gave: found by
 * reflection, so that a method added to the interface later cannot be forgotten.
 */
class ForwardingExecutionStoreTest {

  static Stream<Method> storeMethods() {
    return Arrays.stream(ExecutionStore.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("storeMethods")
  void forwardsTheCallItsArgumentsAndItsResult(Method method) throws Exception {
    ExecutionStore delegate = mock(ExecutionStore.class);
    Object[] args = new Object[method.getParameterCount()];
    for (int i = 0; i < args.length; i++) {
      args[i] = sample(method.getParameterTypes()[i], i);
    }
    Object answer = method.getReturnType() == void.class ? null : sample(method.getReturnType(), 9);
    if (answer != null) {
      when(method.invoke(delegate, args)).thenReturn(answer);
    }
    ExecutionStore forwarding = new ForwardingExecutionStore(delegate) {};

    Object result = method.invoke(forwarding, args);

    if (answer != null) {
      assertThat(result).isEqualTo(answer);
    }
    method.invoke(verify(delegate), args);
    verifyNoMoreInteractions(delegate);
  }

  @Test
  void everyMethodOfTheStoreIsOverridden() {
    // A method forwarded through an inherited default would reach the delegate as another call.
    assertThat(storeMethods())
        .allSatisfy(
            m ->
                assertThat(
                        ForwardingExecutionStore.class
                            .getMethod(m.getName(), m.getParameterTypes())
                            .getDeclaringClass())
                    .isEqualTo(ForwardingExecutionStore.class));
  }

  @Test
  void anOverrideChangesOnlyItsOwnMethod() {
    ExecutionStore delegate = mock(ExecutionStore.class);
    when(delegate.durable()).thenReturn(true);
    ExecutionStore notDurable =
        new ForwardingExecutionStore(delegate) {
          @Override
          public boolean durable() {
            return false;
          }
        };

    assertThat(notDurable.durable()).isFalse();
    notDurable.find("r-1");
    verify(delegate).find("r-1");
    verifyNoMoreInteractions(delegate);
  }

  @Test
  void refusesANullDelegate() {
    assertThatThrownBy(() -> new ForwardingExecutionStore(null) {})
        .isInstanceOf(NullPointerException.class)
        .hasMessage("delegate must not be null");
  }

  /** A value of {@code type}, distinct for each {@code i}, so that swapped arguments show. */
  private static Object sample(Class<?> type, int i) {
    if (type == String.class) {
      return "value-" + i;
    }
    if (type == int.class) {
      return 100 + i;
    }
    if (type == boolean.class) {
      return i % 2 == 0;
    }
    if (type == Instant.class) {
      return Instant.ofEpochSecond(1_000 + i);
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(1 + i);
    }
    if (type == List.class) {
      return List.of("value-" + i);
    }
    if (type == Optional.class) {
      return Optional.of("value-" + i);
    }
    if (type == ExecutionStore.Created.class) {
      return new ExecutionStore.Created(mock(RunRecord.class), true);
    }
    return mock(type);
  }
}
