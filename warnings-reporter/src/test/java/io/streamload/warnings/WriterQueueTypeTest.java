package io.streamload.warnings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The writer's queue and batches hold the two entry kinds and nothing else: the compiler, not a
 * check at insert time, keeps anything else out.
 */
class WriterQueueTypeTest {

    @Test
    void theQueueHoldsOnlyTheTwoEntryKinds() throws Exception {
        Field queue = LoadErrorsWriter.class.getDeclaredField("queue");
        ParameterizedType type = (ParameterizedType) queue.getGenericType();
        assertEquals(BlockingQueue.class, type.getRawType());
        assertEquals(StoreEntry.class, type.getActualTypeArguments()[0]);
        assertTrue(StoreEntry.class.isSealed());
        assertEquals(Set.of(LoadErrorEntry.class, LoadJobEntry.class),
                Arrays.stream(StoreEntry.class.getPermittedSubclasses()).collect(Collectors.toSet()));
    }

    @Test
    void noCollectionOfTheWriterOrTheInserterIsOfObjects() {
        List<String> untyped = new ArrayList<>();
        for (Class<?> type : List.of(LoadErrorsWriter.class, EntryInserter.class)) {
            for (Field field : type.getDeclaredFields()) {
                if (mentionsObject(field.getGenericType())) {
                    untyped.add(type.getSimpleName() + "." + field.getName());
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                List<Type> signature = new ArrayList<>(List.of(method.getGenericParameterTypes()));
                signature.add(method.getGenericReturnType());
                if (signature.stream().anyMatch(WriterQueueTypeTest::mentionsObject)) {
                    untyped.add(type.getSimpleName() + "." + method.getName() + "()");
                }
            }
        }
        assertEquals(List.of(), untyped);
    }

    /** Whether {@code type} has {@code Object} as a type argument, at any depth. */
    private static boolean mentionsObject(Type type) {
        if (type instanceof ParameterizedType parameterized) {
            return Arrays.stream(parameterized.getActualTypeArguments())
                    .anyMatch(argument -> argument == Object.class || mentionsObject(argument));
        }
        if (type instanceof WildcardType wildcard) {
            return Arrays.stream(wildcard.getUpperBounds())
                    .anyMatch(bound -> bound == Object.class || mentionsObject(bound));
        }
        if (type instanceof GenericArrayType array) {
            return mentionsObject(array.getGenericComponentType());
        }
        return false;
    }
}
