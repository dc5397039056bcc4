package org.conflictguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conflictguard.ConfigKeys;
import org.junit.jupiter.api.Test;

/**
 * The settings table is the one source of truth: the {@code ConfigKeys} Javadoc, the README's
 * configuration table and {@code META-INF-templates/microprofile-config.properties} say what it
 * says, key by key.
 */
class SettingsDocumentationTest {

    @Test
    void everyKeyHasOneSettingAndEverySettingOneKey() {
        assertThat(Setting.ALL).extracting(Setting::key).containsExactlyElementsOf(ConfigKeys.ALL);
        for (Setting<?> setting : Setting.ALL) {
            if (setting.defaultText() != null) {
                assertThat(setting.parse(setting.defaultText())).as("the documented default of %s", setting.key())
                        .isEqualTo(setting.defaultValue());
            }
        }
    }

    @Test
    void theConfigKeysJavadocSaysWhatEachKeyAcceptsAndItsDefault() throws IOException {
        String source = Files.readString(Path.of("src/main/java/org/conflictguard/ConfigKeys.java"));
        Map<String, String> javadoc = new LinkedHashMap<>();
        Matcher m = Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*public static final String \\w+ = \"([^\"]+)\";",
                Pattern.DOTALL).matcher(source);
        while (m.find()) {
            javadoc.put(m.group(2), plain(m.group(1).replaceAll("\\n\\s*\\*", " ")));
        }
        assertThat(javadoc.keySet()).containsExactlyElementsOf(ConfigKeys.ALL);
        for (Setting<?> setting : Setting.ALL) {
            String text = javadoc.get(setting.key());
            assertThat(text).as("Javadoc of %s", setting.key()).startsWith("Accepts " + plain(setting.accepts()) + ".");
            assertThat(text).as("Javadoc of %s", setting.key()).contains(setting.defaultText() == null ? "No default."
                    : "Defaults to " + setting.defaultText() + ".");
        }
    }

    @Test
    void theReadmeTableSaysWhatEachKeyAcceptsAndItsDefault() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inConfiguration = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("## ")) {
                inConfiguration = line.equals("## Configuration");
            } else if (inConfiguration && line.startsWith("| `conflictguard.")) {
                rows.add(line);
            }
        }
        assertThat(rows).hasSameSizeAs(Setting.ALL);
        for (int i = 0; i < rows.size(); i++) {
            Setting<?> setting = Setting.ALL.get(i);
            String[] cells = rows.get(i).split(" \\| ");
            assertThat(cells[0]).isEqualTo("| `" + setting.key() + "`");
            assertThat(cells[1]).as("README: what %s accepts", setting.key()).isEqualTo(setting.accepts());
            assertThat(cells[2]).as("README: default of %s", setting.key())
                    .isEqualTo(setting.defaultText() == null ? "unset" : "`" + setting.defaultText() + "`");
        }
    }

    @Test
    void theConfigTemplateListsEveryKeyWithWhatItAcceptsAndItsDefault() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("META-INF-templates/microprofile-config.properties"));
        List<String> keyLines = lines.stream().filter(l -> l.matches("#?conflictguard\\.[a-z.-]+=.*")).toList();
        assertThat(keyLines).extracting(l -> l.replaceFirst("^#", "").replaceFirst("=.*", ""))
                .containsExactlyElementsOf(ConfigKeys.ALL);
        for (Setting<?> setting : Setting.ALL) {
            int at = lines.indexOf(lines.stream().filter(l -> l.replaceFirst("^#", "").startsWith(setting.key() + "="))
                    .findFirst().orElseThrow());
            assertThat(lines.get(at - 1)).as("the comment above %s", setting.key())
                    .startsWith("# Accepts " + setting.accepts() + ".");
            if (setting.defaultText() == null) {
                assertThat(lines.get(at)).as("a key with no default stays commented out").startsWith("#");
                assertThat(lines.get(at - 1)).contains("No default.");
            } else {
                assertThat(lines.get(at)).isEqualTo(setting.key() + "=" + setting.defaultText());
            }
        }
    }

    /** Javadoc or Markdown as plain text: {@code x} and `x` become x, runs of blanks one space. */
    private static String plain(String text) {
        return text.replaceAll("\\{@code ([^}]*)}", "$1").replace("`", "").replaceAll("\\s+", " ").trim();
    }
}
