package dev.vigil.schemas.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The table of dead-letter reasons in docs/topics.md is the enum, row for row. */
class DeadLetterReasonTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|");

    @Test
    void shouldDocumentEveryReasonAndNoOtherInTopicsMd() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "topics.md"));
        int start = doc.indexOf("## Dead-letter reasons");
        assertThat(start).as("docs/topics.md has a section '## Dead-letter reasons'").isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        Matcher rows = ROW.matcher(doc.substring(start, end < 0 ? doc.length() : end));

        List<String> documented = rows.results().map(row -> row.group(1)).toList();

        assertThat(documented).containsExactlyElementsOf(Arrays.stream(DeadLetterReason.values()).map(Enum::name).toList());
    }
}
