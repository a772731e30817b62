package dev.vigil.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ParseResult;
import dev.vigil.config.heartbeat.HeartbeatConfig;
import dev.vigil.config.heartbeat.HeartbeatDirectory;
import dev.vigil.config.keepalived.KeepalivedConfig;
import dev.vigil.config.keepalived.KeepalivedParser;
import dev.vigil.config.keepalived.VirtualAddress;
import dev.vigil.config.keepalived.VrrpInstance;
import dev.vigil.config.translate.HaToKeepalived;
import dev.vigil.testing.Netns;
import dev.vigil.testing.RealKeepalived;
import dev.vigil.testing.RealKeepalivedCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every keepalived.conf {@code vigil translate} writes for the corpus and conf/heartbeat, checked
 * by real keepalived 2.2.7's {@code keepalived -t} in a namespace that has the interfaces the file
 * names: the only messages allowed are the ones about Vigil's own keywords and the absence of an
 * address in groups that had none.
 */
@Tag("netns")
@Tag("interop")
class TranslateKeepalivedInteropTest {

    static final String[] EXPECTED = {"Unknown keyword 'vigil_", "No VIP specified; at least one is sensible"};

    @Test
    void realKeepalivedAcceptsEveryTranslatedFile(@TempDir Path dir) throws Exception {
        RealKeepalived.assumeAvailable();
        List<Path> haDirs = new ArrayList<>();
        haDirs.add(Path.of("conf/heartbeat"));
        for (Map.Entry<String, Map<String, Path>> p : dev.vigil.config.translate.TranslateCorpusTestAccess.projects().entrySet()) {
            Path d = Files.createDirectories(dir.resolve("in").resolve(p.getKey()));
            for (Map.Entry<String, Path> f : p.getValue().entrySet()) Files.copy(f.getValue(), d.resolve(f.getKey()));
            haDirs.add(d);
        }
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try (Netns net = Netns.create()) {
            String ns = net.host("k", "10.240.11.1/24");
            for (Path haD : haDirs) {
                ParseResult<HeartbeatConfig> loaded = HeartbeatDirectory.load(haD);
                if (!HaToKeepalived.blockingErrors(loaded.diagnostics()).isEmpty()) continue;
                HaToKeepalived.Result r = HaToKeepalived.translate(loaded.model(), HaToKeepalived.Options.defaults());
                for (Map.Entry<String, String> e : r.configs().entrySet()) {
                    Path f = dir.resolve("out").resolve(haD.getFileName() + "-" + e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + ".conf");
                    Files.createDirectories(f.getParent());
                    Files.writeString(f, e.getValue());
                    KeepalivedConfig k = new KeepalivedParser().withHostId(e.getKey()).parse(f).model();
                    Set<String> ifaces = new LinkedHashSet<>();
                    for (VrrpInstance i : k.instances()) {
                        i.interfaceName().ifPresent(ifaces::add);
                        for (VirtualAddress a : i.virtualAddresses()) a.device().ifPresent(ifaces::add);
                    }
                    RealKeepalivedCheck.interfaces(net, ns, ifaces.toArray(String[]::new));
                    RealKeepalivedCheck.Result t = RealKeepalivedCheck.configTest(net, ns, f);
                    checked++;
                    List<String> unexpected = t.unexpected(EXPECTED);
                    if (!unexpected.isEmpty() || (t.exitCode() != 0 && t.exitCode() != 5)) {
                        failures.add(haD + " node " + e.getKey() + ": rc " + t.exitCode() + " " + unexpected + "\n" + e.getValue());
                    }
                }
            }
        }
        System.out.println("keepalived -t accepted " + (checked - failures.size()) + " of " + checked + " translated files");
        assertThat(checked).isGreaterThanOrEqualTo(20);
        assertThat(failures).isEmpty();
    }
}
