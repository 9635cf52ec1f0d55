import type { RoomOptions } from 'livekit-client';

let context: AudioContext | undefined;

/**
 * The audio context a sync room is given (`webAudioMix`). livekit-client opens an AudioContext on every
 * connect unless handed one, and a page's first one starts the browser's audio output: 300–500 ms of one
 * main-thread task at 4× CPU throttling. Sync plays no audio, so its rooms share a one-frame
 * OfflineAudioContext, which touches no audio device. Rendered at once, so it is never `suspended` (the SDK
 * would try to resume it and warn). Off where there is no Web Audio (the SDK then opens none either).
 */
export function silentAudio(): RoomOptions['webAudioMix'] {
  if (typeof OfflineAudioContext === 'undefined') return false;
  if (!context) {
    const offline = new OfflineAudioContext(1, 1, 8_000);
    void offline.startRendering();
    // Only a context's state and its graph calls are used, and no audio track ever joins a sync room.
    context = offline as unknown as AudioContext;
  }
  return { audioContext: context };
}
