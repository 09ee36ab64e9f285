"""Long test videos for the benchmark, made in seconds by looping a short one.

One loop is the source forwards then backwards, encoded once; its packets are
then copied again and again with shifted timestamps, so a 5-minute video costs
about as much as one loop.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

LOOP_FPS = 30
"""Frame rate of every looped video (the source is re-timed to it)."""


def make_looped_video(
    source: Path,
    target: Path,
    seconds: float,
    fps: int = LOOP_FPS,
    size: tuple[int, int] | None = None,
) -> int:
    """Write ``target``: ``source`` looped to ``seconds`` at ``fps``; returns its frame count.

    ``size`` = (width, height) resizes the frames (None: the source's size). The
    last loop is cut so the video has exactly ``round(seconds * fps)`` frames (every
    frame after the first is a P-frame, so any cut point decodes).

    One loop is the source forwards then backwards (a "ping-pong"), so the
    movement is continuous at every join as in a real recording; a plain
    loop would make the subject jump at each join, which the subject follower
    rightly takes for a drift onto someone else. The loop is decoded upright
    and encoded once (H.264, no B-frames, a key frame every second as phone
    cameras write them, one at its start); its
    packets are then written again and again with their timestamps shifted,
    so the cost does not grow with length.
    """
    import av
    import cv2

    from hipfirst.video_io.decode import iter_frames, probe

    info = probe(source)
    width, height = size or (info.width, info.height)
    one_loop = target.with_name(target.stem + "_loop.mp4")
    with av.open(str(one_loop), mode="w") as container:
        stream = container.add_stream(
            "libx264",
            rate=fps,
            options={"preset": "veryfast", "crf": "20", "bf": "0", "g": str(fps)},
        )
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        images = [
            frame.image
            if (width, height) == (info.width, info.height)
            else cv2.resize(frame.image, (width, height), interpolation=cv2.INTER_AREA)
            for frame in iter_frames(source, info=info)
        ]
        ping_pong = images + images[-2:0:-1]  # the turning frames once each
        for image in ping_pong:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        container.mux(stream.encode(None))
        loop_frames = len(ping_pong)
        del images, ping_pong

    total = max(1, round(seconds * fps))
    loops = -(-total // loop_frames)
    written = 0
    with av.open(str(one_loop)) as source_container:
        in_stream = source_container.streams.video[0]
        packets = [packet for packet in source_container.demux(in_stream) if packet.size]
        time_base = in_stream.time_base or Fraction(1, fps)
        with av.open(str(target), mode="w") as output:
            out_stream = output.add_stream_from_template(in_stream)
            shift = round(Fraction(loop_frames, fps) / time_base)
            for loop in range(loops):
                for packet in packets[: total - written]:
                    packet.stream = out_stream
                    offset = shift if loop else 0
                    packet.pts = (packet.pts or 0) + offset
                    packet.dts = (packet.dts or 0) + offset
                    output.mux(packet)
                written += min(len(packets), total - written)
    one_loop.unlink()
    return written
