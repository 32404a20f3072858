package dev.secretrotator.engine;

import dev.secretrotator.InvalidInputException;
import java.util.Arrays;

/** The four rotation steps, with the names Secrets Manager sends in {@code "Step"}. */
public enum Step {
    CREATE("createSecret"),
    SET("setSecret"),
    TEST("testSecret"),
    FINISH("finishSecret");

    private final String wireName;

    Step(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * @throws InvalidInputException naming the valid steps if {@code name} is none of them
     */
    public static Step fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new InvalidInputException("unknown step '" + shorten(name)
                        + "'; Secrets Manager sends one of createSecret, setSecret, testSecret, finishSecret"));
    }

    private static String shorten(String s) {
        return s == null ? "null" : s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public String toString() {
        return wireName;
    }
}
