import { TailnetApp } from '../src';
import { KernelcoreStack } from './kernelcore';

/** The cdktf app entry (cdktf.json `app`): every example stack in one app. `tailnet-cdk synth` runs this file. */
const app = new TailnetApp();
new KernelcoreStack(app);
app.synth();
