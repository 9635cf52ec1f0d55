import {
  ChatMessage,
  DataPacket,
  DataPacket_Kind,
  ParticipantInfo_Kind,
  Transcription,
  UserPacket,
} from '@livekit/protocol';
import { describe, expect, it } from 'vitest';
import { isForwardable, stampPacket } from '../src/room/data-routing.ts';

const sender = { sid: 'PA_real', identity: 'real', hidden: false, kind: ParticipantInfo_Kind.STANDARD };

describe('stampPacket', () => {
  it('overwrites the claimed sender and the kind from the channel', () => {
    const packet = new DataPacket({
      kind: DataPacket_Kind.RELIABLE,
      participantIdentity: 'impostor',
      participantSid: 'PA_fake',
      value: {
        case: 'user',
        value: new UserPacket({
          participantIdentity: 'impostor',
          payload: new Uint8Array([1]),
          destinationIdentities: ['b'],
        }),
      },
    });
    stampPacket(packet, sender, 'lossy');
    expect(packet.kind).toBe(DataPacket_Kind.LOSSY);
    expect(packet.participantIdentity).toBe('real');
    expect(packet.participantSid).toBe('PA_real');
    expect(packet.value.case === 'user' && packet.value.value.participantIdentity).toBe('real');
    expect(packet.destinationIdentities).toEqual(['b']);
  });

  it('copies top-level destinations down into the user packet', () => {
    const packet = new DataPacket({
      destinationIdentities: ['c'],
      value: { case: 'user', value: new UserPacket({ payload: new Uint8Array([1]) }) },
    });
    stampPacket(packet, sender, 'reliable');
    expect(packet.value.case === 'user' && packet.value.value.destinationIdentities).toEqual(['c']);
  });

  it('keeps hidden senders anonymous', () => {
    const packet = new DataPacket({
      value: { case: 'chatMessage', value: new ChatMessage({ message: 'hi' }) },
    });
    stampPacket(packet, { ...sender, hidden: true }, 'reliable');
    expect(packet.participantIdentity).toBe('');
    expect(packet.participantSid).toBe('PA_real');
  });
});

describe('isForwardable', () => {
  it('relays transcriptions only from agents and never metrics', () => {
    const transcription = new DataPacket({ value: { case: 'transcription', value: new Transcription() } });
    expect(isForwardable(transcription, sender)).toBe(false);
    expect(isForwardable(transcription, { ...sender, kind: ParticipantInfo_Kind.AGENT })).toBe(true);
    const chat = new DataPacket({ value: { case: 'chatMessage', value: new ChatMessage() } });
    expect(isForwardable(chat, sender)).toBe(true);
  });
});
