package org.conflictguard.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.conflictguard.StoreException;
import org.conflictguard.support.TestRedis;
import org.junit.jupiter.api.Test;

/** The script and the Java side speak one protocol: the same command table, and replies read by type. */
class RedisProtocolTest {

    @Test
    void theScriptsCommandTableIsTheJavaSidesCommandTable() {
        RedisClaimStore store = RedisClaimStore.create(TestRedis.client(), "protocol-test");
        try {
            List<String> java = new ArrayList<>(new TreeSet<>(Commands.ALL.stream().map(Command::name).toList()));
            assertThat(store.scriptCommands()).as("the script's answer to 'commands'").containsExactlyElementsOf(java);
        } finally {
            store.close();
        }
    }

    @Test
    void everyCommandOfTheScriptStatesItsReplyInTheScript() throws IOException {
        String script;
        try (InputStream in = RedisClaimStore.class.getResourceAsStream("conflictguard.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = script.lines().toList();
        int commands = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher defined = Pattern.compile("^commands\\.(\\w+) = function").matcher(lines.get(i));
            if (!defined.find()) {
                continue;
            }
            commands++;
            String name = defined.group(1);
            StringBuilder comment = new StringBuilder();
            int first = i;
            while (first > 0 && lines.get(first - 1).startsWith("--")) {
                first--;
                comment.insert(0, lines.get(first) + "\n");
            }
            assertThat(comment.toString()).as("the comment above commands.%s", name).startsWith("-- " + name + " ")
                    .contains("->");
        }
        assertThat(commands).isEqualTo(Commands.ALL.size());
    }

    @Test
    void aReplyOfAnotherShapeFailsNamingTheCommandAndTheElement() {
        Reply reply = new Reply("claim", List.of("CLAIMED", "123"));
        assertThat(reply.text()).isEqualTo("CLAIMED");
        assertThatThrownBy(reply::integer).isInstanceOf(StoreException.class)
                .hasMessageContaining("reply to 'claim', element 1: expected an integer, got String '123'");
        Reply shortReply = new Reply("renew", List.of("RENEWED"));
        shortReply.text();
        assertThatThrownBy(shortReply::instant).isInstanceOf(StoreException.class)
                .hasMessageContaining("reply to 'renew' ended after 1 element(s)");
    }
}
