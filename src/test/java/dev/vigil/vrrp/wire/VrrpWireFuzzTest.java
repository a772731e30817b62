package dev.vigil.vrrp.wire;

import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * The no-throw checks of {@link VrrpWirePropertiesTest} at length. Excluded from the default
 * build by the {@code slow-fuzz} tag; run with
 * {@code mvn -o test -Dtest='dev.vigil.vrrp.wire.VrrpWireFuzzTest' -Dvigil.excludedGroups=}.
 */
@Tag("slow-fuzz")
class VrrpWireFuzzTest {
    @Property(tries = 100_000, edgeCases = EdgeCasesMode.NONE)
    void mutatedCapturesNeverThrow(@ForAll("mutatedFixtures") byte[] bytes) {
        VrrpWirePropertiesTest.decodeEverywhere(bytes);
        if (VrrpFrames.decode(bytes, VrrpReceivePolicy.DEFAULT.acceptV3Ipv4Checksums(
                Set.of(VrrpChecksumVariant.values()))) instanceof VrrpFrameDecodeResult.Ok ok) {
            VrrpWirePropertiesTest.assertReencodesCanonically(ok);
        }
    }

    @Property(tries = 100_000)
    void randomBytesNeverThrow(@ForAll("randomBytes") byte[] bytes) {
        VrrpWirePropertiesTest.decodeEverywhere(bytes);
    }

    @Provide
    Arbitrary<byte[]> mutatedFixtures() {
        return WireArbitraries.mutatedFixtures();
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return WireArbitraries.randomBytes();
    }
}
