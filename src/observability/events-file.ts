/**
 * An `--events` file: BulkEvents (bulk-events.ts) into an atomic file (it appears only when the run
 * finished), buffered so the simulation does not make a system call per event.
 */
import { AtomicFile } from '../trace/writers/atomic-file.ts';
import { BulkEvents } from './bulk-events.ts';

export class EventsFile {
  readonly events: BulkEvents;
  private readonly file: AtomicFile;
  private chunks: string[] = [];
  private pending = 0;

  constructor(path: string, sampleRate: number) {
    this.file = new AtomicFile(path);
    this.events = new BulkEvents(
      (s) => {
        this.chunks.push(s);
        this.pending += s.length;
        if (this.pending >= 1 << 20) this.flush();
      },
      { index: 'cachetopo-events', sampleRate, epochMs: 0 },
    );
  }

  private flush(): void {
    this.file.write(Buffer.from(this.chunks.join('')));
    this.chunks = [];
    this.pending = 0;
  }

  commit(): void {
    this.flush();
    this.file.commit();
  }

  discard(): void {
    this.file.discard();
  }
}
