import type { ChatLineView } from '@switchboard/protocol';
import { ChatTranscript, type TranscriptSnapshot } from './chat-transcript';

function line(sequence: number, clientMessageId: string | null = null): ChatLineView {
  return {
    chatUid: 'chat-1',
    sequence,
    sender: 'visitor',
    senderName: 'Vera',
    text: `line ${sequence}`,
    at: '2025-01-01T10:00:00.000Z',
    clientMessageId,
  };
}

const sequencesOf = (transcript: ChatTranscript) => transcript.ordered().map((shown) => shown.sequence);

describe('ChatTranscript', () => {
  it('keeps each sequence once, whatever the order and the number of deliveries', () => {
    const transcript = new ChatTranscript();
    const fresh = [3, 1, 2, 3, 1].map((sequence) => transcript.receive(line(sequence)));
    expect(fresh).toEqual([true, true, true, false, false]);
    expect(sequencesOf(transcript)).toEqual([1, 2, 3]);
  });

  it('merges a rejoin answer that overlaps the live pushes and returns only what is new, in order', () => {
    const transcript = new ChatTranscript({ lines: [line(1), line(2)], pending: [] });
    transcript.receive(line(4));
    const added = transcript.receiveAll([line(4), line(3), line(2), line(5)]);
    expect(added.map((shown) => shown.sequence)).toEqual([3, 5]);
    expect(sequencesOf(transcript)).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejoins after the end of the run without gaps, so a line missed in the middle is asked again', () => {
    const transcript = new ChatTranscript();
    expect(transcript.lastSequence()).toBe(0);
    [1, 2, 4].forEach((sequence) => transcript.receive(line(sequence)));
    expect(transcript.lastSequence()).toBe(2);
    transcript.receive(line(3));
    expect(transcript.lastSequence()).toBe(4);
  });

  it('keeps a sent line pending until a stored line with its clientMessageId arrives (ack or push)', () => {
    const transcript = new ChatTranscript();
    transcript.queue({ clientMessageId: 'm1', text: 'hello' });
    transcript.queue({ clientMessageId: 'm2', text: 'again' });
    expect(transcript.pending().map((pending) => pending.clientMessageId)).toEqual(['m1', 'm2']);
    transcript.receive(line(1, 'm1'));
    transcript.receive(line(1, 'm1'));
    expect(transcript.pending().map((pending) => pending.clientMessageId)).toEqual(['m2']);
    transcript.drop('m2');
    expect(transcript.pending()).toEqual([]);
    expect(sequencesOf(transcript)).toEqual([1]);
  });

  it('survives a reload through its snapshot, pending lines included', () => {
    const transcript = new ChatTranscript();
    transcript.receive(line(2));
    transcript.receive(line(1));
    transcript.queue({ clientMessageId: 'm3', text: 'unsent' });
    const restored = new ChatTranscript(
      JSON.parse(JSON.stringify(transcript.snapshot())) as TranscriptSnapshot,
    );
    expect(sequencesOf(restored)).toEqual([1, 2]);
    expect(restored.pending()).toEqual([{ clientMessageId: 'm3', text: 'unsent' }]);
    expect(restored.lastSequence()).toBe(2);
  });

  it('tells where a late line goes: before the next sequence already shown', () => {
    const transcript = new ChatTranscript({ lines: [line(1), line(4), line(6)], pending: [] });
    expect(transcript.nextSequenceAfter(2)).toBe(4);
    expect(transcript.nextSequenceAfter(6)).toBeUndefined();
  });
});
